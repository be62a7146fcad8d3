import * as React from "react";
import { Spinner } from "./spinner";

export type ButtonVariant = "primary" | "secondary" | "danger" | "link";
export type ButtonSize = "sm" | "md" | "lg";

const base =
  "inline-flex items-center justify-center gap-2 font-semibold transition-colors disabled:cursor-not-allowed disabled:opacity-60 aria-disabled:cursor-not-allowed aria-disabled:opacity-60";

const variants: Record<ButtonVariant, string> = {
  primary:
    "rounded border-2 border-transparent bg-brand-700 text-white no-underline hover:bg-brand-800",
  secondary:
    "rounded border-2 border-gray-700 bg-white text-gray-900 no-underline hover:bg-gray-100",
  danger: "rounded border-2 border-transparent bg-red-700 text-white no-underline hover:bg-red-800",
  link: "text-brand-700 underline underline-offset-2 hover:text-brand-900 hover:decoration-2",
};

// Every size keeps the target at least 24px tall (WCAG 2.5.8); "link" drops horizontal padding
// so it lines up with surrounding text.
const sizes: Record<ButtonSize, string> = {
  sm: "min-h-[2rem] px-3 py-1 text-sm",
  md: "min-h-[2.75rem] px-4 py-2 text-base",
  lg: "min-h-[3.25rem] px-6 py-3 text-lg",
};

/** Classes for a button look-alike, e.g. a Remix `<Link>` that should read as a call to action. */
export function buttonClassName({
  variant = "primary",
  size = "md",
  className,
}: { variant?: ButtonVariant; size?: ButtonSize; className?: string } = {}) {
  const sizing = variant === "link" ? sizes[size].replace(/px-\d+/, "px-0") : sizes[size];
  return [base, variants[variant], sizing, className].filter(Boolean).join(" ");
}

export interface ButtonProps extends React.ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: ButtonSize;
}

/** `type` defaults to "button": a submit must be asked for, so a stray button never posts a form. */
export const Button = React.forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = "primary", size = "md", type = "button", className, ...props },
  ref,
) {
  return (
    <button
      ref={ref}
      type={type}
      className={buttonClassName({ variant, size, className })}
      {...props}
    />
  );
});

export interface StatusButtonProps extends ButtonProps {
  pending?: boolean;
  pendingLabel?: string;
}

/**
 * While pending the button stays focusable (disabling it would drop keyboard focus) but swallows
 * clicks, which also cancels implicit submission by Enter, so a form cannot be sent twice.
 */
export const StatusButton = React.forwardRef<HTMLButtonElement, StatusButtonProps>(
  function StatusButton(
    { pending = false, pendingLabel = "Working…", children, onClick, ...props },
    ref,
  ) {
    return (
      <Button
        ref={ref}
        {...props}
        aria-busy={pending || undefined}
        aria-disabled={pending || props["aria-disabled"]}
        onClick={(event) => {
          if (pending) {
            event.preventDefault();
            return;
          }
          onClick?.(event);
        }}
      >
        {pending ? <Spinner label={pendingLabel} /> : null}
        {children}
      </Button>
    );
  },
);
