// Sizes every server-made QR (svg[data-modules]) to a whole number of device pixels per module, as large as its
// box allows: a phone a step away reads crisp modules; a fractional scale would blur every edge.
const selector = 'svg[data-modules]'

// the largest size in CSS px that is a whole number of device pixels per module within `available`
export function wholeModuleSize(available: number, modules: number, pixelRatio: number) {
  const perModule = Math.max(1, Math.floor((available * pixelRatio) / modules))
  return (perModule * modules) / pixelRatio
}

export function fitQr(svg: SVGSVGElement) {
  const box = svg.parentElement
  if (!box) return
  const modules = Number(svg.dataset.modules)
  if (!modules) return
  // a box with a height of its own (the entrance screen) bounds both ways; otherwise its width decides
  const style = getComputedStyle(box)
  const padding = (a: string, b: string) =>
    parseFloat(style.getPropertyValue(a)) + parseFloat(style.getPropertyValue(b))
  const width = box.clientWidth - padding('padding-left', 'padding-right')
  const height =
    box.dataset.qrFill !== undefined ? box.clientHeight - padding('padding-top', 'padding-bottom') : width
  const size = wholeModuleSize(Math.min(width, height), modules, window.devicePixelRatio || 1)
  svg.style.width = `${size}px`
  svg.style.height = `${size}px`
  svg.style.maxWidth = 'none'
}

export function fitAllQrs(root: ParentNode = document) {
  for (const svg of root.querySelectorAll<SVGSVGElement>(selector)) fitQr(svg)
}

// refit when a QR arrives (entrance rotation, kiosk receipt) or the screen changes size
export function watchQrs() {
  fitAllQrs()
  new MutationObserver(() => fitAllQrs()).observe(document.body, { childList: true, subtree: true })
  addEventListener('resize', () => fitAllQrs())
}
