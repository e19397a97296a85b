/**
 * The browser layout APIs React Flow needs, mocked for jsdom (React Flow's testing guide): ResizeObserver,
 * DOMMatrixReadOnly, element sizes (a node 200 × 100 px, a handle 10 × 10 px at the node's left + 20 px, or where
 * `handleX` puts it) and
 * elementFromPoint. `installReactFlowDom()` in beforeAll, `restoreReactFlowDom()` in afterAll.
 */
const saved: { rect?: PropertyDescriptor; ow?: PropertyDescriptor; oh?: PropertyDescriptor; efp?: unknown; ro?: unknown; dm?: unknown } = {};

/**
 * Installs the mocks; sizes in CSS pixels as above. `handleX` places a handle by its id (React Flow's
 * `data-handleid`, null for a node's default handle) when a test must tell handles apart by where an edge starts.
 */
export function installReactFlowDom(handleX: (id: string | null) => number = () => 20): void {
  class ResizeObserver {
    constructor(private readonly cb: ResizeObserverCallback) {}
    observe(target: Element) {
      this.cb([{ target } as ResizeObserverEntry], this as unknown as globalThis.ResizeObserver);
    }
    unobserve() {}
    disconnect() {}
  }
  class DOMMatrixReadOnly {
    m22: number;
    constructor(transform?: string) {
      const scale = transform?.match(/scale\(([\d.]+)\)/)?.[1];
      this.m22 = scale !== undefined ? Number(scale) : 1;
    }
  }
  const g = globalThis as { ResizeObserver?: unknown; DOMMatrixReadOnly?: unknown };
  saved.ro = g.ResizeObserver;
  saved.dm = g.DOMMatrixReadOnly;
  Object.assign(globalThis, { ResizeObserver, DOMMatrixReadOnly });
  saved.ow = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetWidth');
  saved.oh = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight');
  saved.rect = Object.getOwnPropertyDescriptor(Element.prototype, 'getBoundingClientRect');
  const isHandle = (el: Element) => el.classList.contains('react-flow__handle');
  Object.defineProperties(HTMLElement.prototype, {
    offsetWidth: {
      configurable: true,
      get(this: HTMLElement) {
        return isHandle(this) ? 10 : 200;
      },
    },
    offsetHeight: {
      configurable: true,
      get(this: HTMLElement) {
        return isHandle(this) ? 10 : 100;
      },
    },
  });
  Element.prototype.getBoundingClientRect = function (this: Element) {
    const h = isHandle(this);
    const x = h ? handleX(this.getAttribute('data-handleid')) : 0;
    const [w, ht] = h ? [10, 10] : [200, 100];
    return { x, y: 0, left: x, top: 0, right: x + w, bottom: ht, width: w, height: ht, toJSON() {} } as DOMRect;
  };
  saved.efp = (document as { elementFromPoint?: unknown }).elementFromPoint;
  document.elementFromPoint = () => null;
}

/** Puts back what `installReactFlowDom` replaced. */
export function restoreReactFlowDom(): void {
  if (saved.ow) Object.defineProperty(HTMLElement.prototype, 'offsetWidth', saved.ow);
  if (saved.oh) Object.defineProperty(HTMLElement.prototype, 'offsetHeight', saved.oh);
  if (saved.rect) Object.defineProperty(Element.prototype, 'getBoundingClientRect', saved.rect);
  (document as { elementFromPoint?: unknown }).elementFromPoint = saved.efp;
  Object.assign(globalThis, { ResizeObserver: saved.ro, DOMMatrixReadOnly: saved.dm });
}
