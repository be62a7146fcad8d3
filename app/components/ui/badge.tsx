import type * as React from "react";

export type BadgeTone = "neutral" | "info" | "success" | "warning" | "danger";

// Dark text on a pale fill: every pair clears 4.5:1 at small sizes; the border keeps the shape
// visible for people who cannot tell the fills apart.
const tones: Record<BadgeTone, string> = {
  neutral: "border-gray-500 bg-gray-100 text-gray-900",
  info: "border-brand-700 bg-brand-50 text-brand-900",
  success: "border-green-700 bg-green-50 text-green-900",
  warning: "border-amber-700 bg-amber-50 text-amber-900",
  danger: "border-red-700 bg-red-50 text-red-900",
};

export interface BadgeProps extends React.HTMLAttributes<HTMLSpanElement> {
  tone?: BadgeTone;
}

/** A status or role label. The text must say it all: the tone only reinforces it. */
export function Badge({ tone = "neutral", className, ...props }: BadgeProps) {
  return (
    <span
      className={`inline-flex items-center whitespace-nowrap rounded border px-2 py-0.5 text-sm font-semibold ${tones[tone]} ${className ?? ""}`.trim()}
      {...props}
    />
  );
}
