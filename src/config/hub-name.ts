/** The host part of the hub's URL, its default display name. */
export function hostFromUrl (hubUrl: string): string {
  return new URL(hubUrl).host
}
