/** What `fn` throws, or undefined when it returns: for checks on the fields of a thrown error. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err;
  }
}
