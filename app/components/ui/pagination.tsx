import { Link } from "@remix-run/react";
import { VisuallyHidden } from "./visually-hidden";

export interface PaginationProps {
  /** 1-based. */
  page: number;
  pageCount: number;
  /** Keeps the rest of the query string, so filters survive paging and links stay shareable. */
  makeHref: (page: number) => string;
  className?: string;
}

type Item = number | "gap";

/** First, last and the current page with its neighbours; gaps where pages are skipped. */
export function paginationItems(page: number, pageCount: number): Item[] {
  const wanted = new Set([1, pageCount, page - 1, page, page + 1]);
  const pages = [...wanted].filter((p) => p >= 1 && p <= pageCount).sort((a, b) => a - b);
  const items: Item[] = [];
  for (const p of pages) {
    const previous = items[items.length - 1];
    if (typeof previous === "number" && p - previous === 2) items.push(previous + 1);
    else if (typeof previous === "number" && p - previous > 2) items.push("gap");
    items.push(p);
  }
  return items;
}

const linkClass =
  "inline-flex min-h-[2.75rem] min-w-[2.75rem] items-center justify-center rounded px-3 font-semibold";

export function Pagination({ page, pageCount, makeHref, className }: PaginationProps) {
  if (pageCount <= 1) return null;
  const current = Math.min(Math.max(1, Math.trunc(page)), pageCount);
  return (
    <nav aria-label="Pagination" className={className}>
      <ul className="flex flex-wrap items-center gap-1">
        {current > 1 ? (
          <li>
            <Link to={makeHref(current - 1)} rel="prev" className={linkClass}>
              <span aria-hidden="true">←&nbsp;</span>Previous<VisuallyHidden> page</VisuallyHidden>
            </Link>
          </li>
        ) : null}
        {paginationItems(current, pageCount).map((item, index) =>
          item === "gap" ? (
            <li key={`gap-${index}`} className="px-2 text-gray-700">
              …
            </li>
          ) : (
            <li key={item}>
              <Link
                to={makeHref(item)}
                aria-current={item === current ? "page" : undefined}
                className={
                  item === current ? `${linkClass} bg-brand-700 text-white no-underline` : linkClass
                }
              >
                <VisuallyHidden>Page </VisuallyHidden>
                {item}
              </Link>
            </li>
          ),
        )}
        {current < pageCount ? (
          <li>
            <Link to={makeHref(current + 1)} rel="next" className={linkClass}>
              Next<VisuallyHidden> page</VisuallyHidden>
              <span aria-hidden="true">&nbsp;→</span>
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
