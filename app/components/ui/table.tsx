import type * as React from "react";

function cx(...classes: Array<string | undefined | false>) {
  return classes.filter(Boolean).join(" ");
}

export interface TableProps extends React.TableHTMLAttributes<HTMLTableElement> {
  /** Required: it names the table for screen readers, who can list tables by caption. */
  caption: React.ReactNode;
  /** Hide the caption visually when a heading right above already says the same. */
  captionHidden?: boolean;
}

export function Table({
  caption,
  captionHidden = false,
  className,
  children,
  ...props
}: TableProps) {
  return (
    // Wide tables scroll sideways instead of pushing the page (reflow, WCAG 1.4.10).
    <div className="overflow-x-auto">
      {/* Plain <th>/<td> children get the same spacing as the helpers below: it also keeps links in
          neighbouring rows far enough apart to be easy targets (WCAG 2.5.8). */}
      <table
        className={cx(
          "w-full border-collapse text-left text-sm [&_td]:px-3 [&_td]:py-3 [&_td]:align-top [&_th]:px-3 [&_th]:py-2 [&_tbody_tr]:border-t [&_tbody_tr]:border-gray-300 [&_thead]:border-b-2 [&_thead]:border-gray-900",
          className,
        )}
        {...props}
      >
        <caption
          className={
            captionHidden ? "sr-only" : "mb-2 text-left text-lg font-semibold text-gray-900"
          }
        >
          {caption}
        </caption>
        {children}
      </table>
    </div>
  );
}

export function TableHead({ className, ...props }: React.HTMLAttributes<HTMLTableSectionElement>) {
  return <thead className={cx("border-b-2 border-gray-900", className)} {...props} />;
}

export function TableBody({ className, ...props }: React.HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className={cx("divide-y divide-gray-300", className)} {...props} />;
}

export function TableRow({ className, ...props }: React.HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={className} {...props} />;
}

type HeaderCellProps = Omit<React.ThHTMLAttributes<HTMLTableCellElement>, "scope">;

/** Column header; the scope is fixed so a header can never lose its column. */
export function TableHeaderCell({ className, ...props }: HeaderCellProps) {
  return (
    <th
      scope="col"
      className={cx("px-3 py-2 align-bottom font-semibold text-gray-900", className)}
      {...props}
    />
  );
}

/** The cell that names its row (e.g. a person's name), read out before each cell in the row. */
export function TableRowHeader({ className, ...props }: HeaderCellProps) {
  return (
    <th
      scope="row"
      className={cx("px-3 py-2 align-top font-semibold text-gray-900", className)}
      {...props}
    />
  );
}

export function TableCell({ className, ...props }: React.TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cx("px-3 py-2 align-top text-gray-900", className)} {...props} />;
}
