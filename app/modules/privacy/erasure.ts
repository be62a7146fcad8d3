/** The name an erased person's account keeps, so workflow records still point at someone. */
export const ERASED_NAME = "Erased user";
