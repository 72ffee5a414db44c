// Typings for path-to-regexp 0.1 (the version Express 4's router matches with). It ships no types.
declare module 'path-to-regexp' {
  namespace pathToRegexp {
    interface Key { name: string | number, optional: boolean, offset: number }
    interface Options { sensitive?: boolean, strict?: boolean, end?: boolean }
  }
  function pathToRegexp (path: string, keys?: pathToRegexp.Key[], options?: pathToRegexp.Options): RegExp
  export = pathToRegexp
}
