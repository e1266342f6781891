// Boxes in frame pixels: overlap, padding and clamping shared by the tracker and the compositor.
export type Box = { x: number; y: number; w: number; h: number }
export type Point = { x: number; y: number }

export function area(box: Box): number {
  return Math.max(0, box.w) * Math.max(0, box.h)
}

export function intersection(a: Box, b: Box): Box {
  const x = Math.max(a.x, b.x)
  const y = Math.max(a.y, b.y)
  const w = Math.min(a.x + a.w, b.x + b.w) - x
  const h = Math.min(a.y + a.h, b.y + b.h) - y
  return { x, y, w: Math.max(0, w), h: Math.max(0, h) }
}

// intersection over union: the only thing the tracker compares (no appearance, no embedding)
export function iou(a: Box, b: Box): number {
  const inter = area(intersection(a, b))
  const union = area(a) + area(b) - inter
  return union > 0 ? inter / union : 0
}

// grows a box by `fraction` of its size on every side (0.25 → 25 % more on each edge), clamped to the frame
export function pad(box: Box, fraction: number, frame: { width: number; height: number }): Box {
  const dx = box.w * fraction
  const dy = box.h * fraction
  return clamp({ x: box.x - dx, y: box.y - dy, w: box.w + 2 * dx, h: box.h + 2 * dy }, frame)
}

export function clamp(box: Box, frame: { width: number; height: number }): Box {
  const x = Math.max(0, Math.floor(box.x))
  const y = Math.max(0, Math.floor(box.y))
  const right = Math.min(frame.width, Math.ceil(box.x + box.w))
  const bottom = Math.min(frame.height, Math.ceil(box.y + box.h))
  return { x, y, w: Math.max(0, right - x), h: Math.max(0, bottom - y) }
}

export function centre(box: Box): Point {
  return { x: box.x + box.w / 2, y: box.y + box.h / 2 }
}
