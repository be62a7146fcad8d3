import { VisuallyHidden } from "./visually-hidden";

export type ListOfErrors = ReadonlyArray<string | null | undefined> | null | undefined;

/** The messages worth showing: blanks dropped, duplicates (e.g. from client and server) merged. */
export function errorMessages(errors: ListOfErrors): string[] {
  return Array.from(new Set((errors ?? []).filter((e): e is string => Boolean(e))));
}

export interface ErrorListProps {
  /** Referenced by the control's aria-describedby, so the message is read with the field. */
  id?: string;
  errors?: ListOfErrors;
  className?: string;
}

export function ErrorList({ id, errors, className }: ErrorListProps) {
  const messages = errorMessages(errors);
  if (messages.length === 0) return null;
  return (
    <ul
      id={id}
      className={`space-y-1 text-sm font-semibold text-red-700 ${className ?? ""}`.trim()}
    >
      {messages.map((message) => (
        <li key={message}>
          {/* Colour alone must not carry the meaning (WCAG 1.4.1). */}
          <VisuallyHidden>Error: </VisuallyHidden>
          {message}
        </li>
      ))}
    </ul>
  );
}
