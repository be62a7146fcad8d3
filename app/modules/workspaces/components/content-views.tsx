import { Link } from "@remix-run/react";
import { formatDateTime } from "~/lib/format";
import type { DiffLine } from "../diff";

/** HTML from renderMarkdown (micromark: raw HTML escaped, unsafe link protocols dropped). */
export function MarkdownView({ html, className }: { html: string; className?: string }) {
  return (
    <div
      className={`prose max-w-prose ${className ?? ""}`}
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

const LINE_STYLE: Record<DiffLine["kind"], { className: string; sign: string; spoken: string }> = {
  added: { className: "bg-green-50 text-green-900", sign: "+", spoken: "Added: " },
  removed: { className: "bg-red-50 text-red-900", sign: "−", spoken: "Removed: " },
  same: { className: "text-gray-800", sign: " ", spoken: "" },
  skipped: { className: "bg-gray-100 italic text-gray-700", sign: "…", spoken: "" },
};

/**
 * A line diff: a sign and a spoken prefix say what colour alone would not. No lines (null): the
 * versions were too different to compare line by line (pageDiff), and the page shows both.
 */
export function DiffView({ lines, caption }: { lines: DiffLine[] | null; caption: string }) {
  if (!lines)
    return (
      <p className="rounded border border-gray-300 bg-gray-50 px-3 py-2">
        These versions are too different to compare line by line.
      </p>
    );
  if (!lines.length) return <p>No differences.</p>;
  return (
    <figure className="overflow-x-auto rounded border border-gray-300">
      <figcaption className="border-b border-gray-300 bg-gray-50 px-3 py-1 text-sm font-semibold">
        {caption}
      </figcaption>
      <ol className="font-mono text-sm">
        {lines.map((line, i) => {
          const style = LINE_STYLE[line.kind];
          return (
            <li key={i} className={`whitespace-pre-wrap px-3 ${style.className}`}>
              <span aria-hidden="true" className="mr-2 select-none">
                {style.sign}
              </span>
              {style.spoken ? <span className="sr-only">{style.spoken}</span> : null}
              {line.text || "\u00A0"}
            </li>
          );
        })}
      </ol>
    </figure>
  );
}

/** Search headline runs, highlighted matches in <mark>, all as text. */
export function Highlighted({ runs }: { runs: { text: string; mark: boolean }[] }) {
  return (
    <>
      {runs.map((r, i) => (r.mark ? <mark key={i}>{r.text}</mark> : <span key={i}>{r.text}</span>))}
    </>
  );
}

/** The activity feed: who did what, when, linking to the thing. */
export function ActivityList({
  items,
  base,
  where,
}: {
  items: { id: string; actorName: string; summary: string; link: string; at: Date | string }[];
  base: string;
  where: { locale: string; timeZone: string };
}) {
  if (!items.length) return <p>No activity yet.</p>;
  return (
    <ol className="space-y-2">
      {items.map((a) => (
        <li key={a.id}>
          <span className="font-semibold">{a.actorName}</span>{" "}
          {a.link ? (
            <Link to={`${base}${a.link}`} className="text-brand-700 underline">
              {a.summary}
            </Link>
          ) : (
            a.summary
          )}
          <br />
          <span className="text-sm text-gray-700">{formatDateTime(a.at, where)}</span>
        </li>
      ))}
    </ol>
  );
}
