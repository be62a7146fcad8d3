import { useNavigation } from "@remix-run/react";

/** True while this page's form is being submitted. */
export function useIsPending() {
  const navigation = useNavigation();
  return navigation.state === "submitting";
}
