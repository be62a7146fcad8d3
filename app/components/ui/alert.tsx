import type * as React from "react";
import { VisuallyHidden } from "./visually-hidden";

export type AlertTone = "info" | "success" | "warning" | "error";

const tones: Record<AlertTone, { className: string; prefix: string }> = {
  info: { className: "border-brand-700 bg-brand-50", prefix: "Information" },
  success: { className: "border-green-700 bg-green-50", prefix: "Success" },
  warning: { className: "border-amber-700 bg-amber-50", prefix: "Warning" },
  error: { className: "border-red-700 bg-red-50", prefix: "Error" },
};

export interface AlertProps {
  tone: AlertTone;
  title?: React.ReactNode;
  children?: React.ReactNode;
  className?: string;
  id?: string;
}

/**
 * Warnings and errors interrupt (role="alert"); confirmations and information wait their turn
 * (role="status"). The tone is also spoken, since the border colour alone cannot carry it.
 */
export function Alert({ tone, title, children, className, id }: AlertProps) {
  const { className: toneClass, prefix } = tones[tone];
  return (
    <div
      id={id}
      role={tone === "error" || tone === "warning" ? "alert" : "status"}
      className={`border-l-8 p-4 text-gray-900 ${toneClass} ${className ?? ""}`.trim()}
    >
      {title ? (
        <p className="font-semibold">
          <VisuallyHidden>{prefix}: </VisuallyHidden>
          {title}
        </p>
      ) : (
        <VisuallyHidden>{prefix}: </VisuallyHidden>
      )}
      {children ? <div className={title ? "mt-1" : undefined}>{children}</div> : null}
    </div>
  );
}
