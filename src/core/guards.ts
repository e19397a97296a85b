/**
 * `Array.isArray` that keeps the element type: TypeScript's own narrows a union holding a readonly array
 * (`ParamValue`, `ArgValue`) to `any[]`, which lets an `any` leak into the code that reads the elements.
 */
export const isList = <T>(v: T): v is Extract<T, readonly unknown[]> => Array.isArray(v);
