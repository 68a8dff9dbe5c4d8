"""Mesh primitives for the Docent generator: numpy only, no randomness.

Everything here works on plain arrays: positions are (N, 3) float64 in metres, faces are (M, 3) int64 with
counter-clockwise winding seen from outside. Curved shapes are built as grids of rings (closed around, no seam
vertices, since the model has no textures) so smooth normals come out seamless.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Array = np.ndarray
SdfFn = Callable[[Array], Array]


@dataclass
class Geo:
    """A triangle mesh: positions and faces."""

    pos: Array
    faces: Array

    @property
    def n(self) -> int:
        return int(self.pos.shape[0])


def vec(x: float, y: float, z: float) -> Array:
    """A 3-vector (so offsets read as ``point + vec(0, 0.01, 0)``)."""
    return np.array([x, y, z], dtype=float)


def merge(geos: Sequence[Geo]) -> Geo:
    """One mesh holding all of ``geos``."""
    pos, faces, base = [], [], 0
    for g in geos:
        pos.append(g.pos)
        faces.append(g.faces + base)
        base += g.n
    return Geo(np.concatenate(pos), np.concatenate(faces))


def keep_faces(geo: Geo, keep: Array) -> Geo:
    """The mesh with only the faces where ``keep`` is true, unused vertices dropped (order preserved)."""
    faces = geo.faces[keep]
    used = np.zeros(geo.n, dtype=bool)
    used[faces.ravel()] = True
    remap = np.cumsum(used) - 1
    return Geo(geo.pos[used], remap[faces])


def face_normals(pos: Array, faces: Array) -> Array:
    """Un-normalised face normals (length = 2 x area)."""
    a, b, c = pos[faces[:, 0]], pos[faces[:, 1]], pos[faces[:, 2]]
    return np.cross(b - a, c - a)


def vertex_normals(pos: Array, faces: Array) -> Array:
    """Area-weighted smooth vertex normals."""
    fn = face_normals(pos, faces)
    vn = np.zeros_like(pos)
    for k in range(3):
        np.add.at(vn, faces[:, k], fn)
    length = np.linalg.norm(vn, axis=1, keepdims=True)
    return vn / np.maximum(length, 1e-12)


def orient(geo: Geo, inside: Sequence[float] | Array) -> Geo:
    """Flip the winding if most of the surface faces towards ``inside`` instead of away from it."""
    fn = face_normals(geo.pos, geo.faces)
    centroid = geo.pos[geo.faces].mean(axis=1)
    if float(np.sum(fn * (centroid - np.asarray(inside, dtype=float)))) < 0:
        return Geo(geo.pos, geo.faces[:, ::-1].copy())
    return geo


def grid(rings: Array, start: Array | None = None, end: Array | None = None, wrap: bool = True) -> Geo:
    """Mesh a (R, S, 3) grid of rings; ``start``/``end`` add a pole vertex closing the first/last ring.

    With ``wrap`` each ring is closed (column S-1 joins column 0). The winding is outward when the ring angle
    turns counter-clockwise seen from the end the rings advance towards.
    """
    r, s = rings.shape[:2]
    pos = [rings.reshape(-1, 3)]
    idx = np.arange(r * s).reshape(r, s)
    cols = s if wrap else s - 1
    j0 = np.arange(cols)
    j1 = (j0 + 1) % s
    faces = []
    for i in range(r - 1):
        a, b, c, d = idx[i, j0], idx[i, j1], idx[i + 1, j1], idx[i + 1, j0]
        faces.append(np.stack([a, b, c], 1))
        faces.append(np.stack([a, c, d], 1))
    n = r * s
    if start is not None:
        pos.append(np.asarray(start, dtype=float).reshape(1, 3))
        faces.append(np.stack([np.full(cols, n), idx[0, j1], idx[0, j0]], 1))
        n += 1
    if end is not None:
        pos.append(np.asarray(end, dtype=float).reshape(1, 3))
        faces.append(np.stack([idx[-1, j0], idx[-1, j1], np.full(cols, n)], 1))
    return Geo(np.concatenate(pos), np.concatenate(faces).astype(np.int64))


def superellipse(angles: Array, exponent: float | Array) -> tuple[Array, Array]:
    """Unit superellipse |x|^e + |y|^e = 1 sampled at ``angles`` (e = 2 is a circle)."""
    c, s = np.cos(angles), np.sin(angles)
    p = 2.0 / np.asarray(exponent, dtype=float)
    return np.sign(c) * np.abs(c) ** p, np.sign(s) * np.abs(s) ** p


def warped_angles(segs: int, density: float = 0.0, phase: float = 0.0) -> Array:
    """``segs`` angles around a circle, ``density`` in [0, 1) packs them towards angle ``phase``."""
    s = np.linspace(-np.pi, np.pi, segs, endpoint=False)
    return s - density * np.sin(s) + phase


def frames(path: Array, ref: Sequence[float] | Array) -> tuple[Array, Array, Array]:
    """Tangent, side and third axis along ``path``; the side axis stays as close to ``ref`` (one direction, or
    one per path point) as it can."""
    t = np.gradient(path, axis=0)
    t /= np.linalg.norm(t, axis=1, keepdims=True)
    r = np.broadcast_to(np.asarray(ref, dtype=float), path.shape)
    side = r - t * np.sum(t * r, axis=1, keepdims=True)
    side /= np.linalg.norm(side, axis=1, keepdims=True)
    third = np.cross(t, side)
    return t, side, third


def sweep(
    path: Array,
    half_side: Array,
    half_third: Array,
    ref: Sequence[float] | Array,
    segs: int,
    exponent: float | Array = 2.0,
    cap_start: int = 0,
    cap_end: int = 0,
    density: float = 0.0,
    phase: float = 0.0,
    third_back: Array | None = None,
    cap_scale: float = 0.85,
) -> Geo:
    """A tube along ``path`` with superelliptic cross-sections.

    ``half_side``/``half_third`` give the semi-axes per ring (``third_back`` the semi-axis on the negative third
    side when it differs); ``cap_start``/``cap_end`` close that end with that many rings of a rounded dome whose
    height is ``cap_scale`` times the smallest semi-axis.
    """
    path = np.asarray(path, dtype=float)
    t, side, third = frames(path, ref)
    ang = warped_angles(segs, density, phase)
    exps = np.broadcast_to(np.asarray(exponent, dtype=float), (len(path),))
    back = half_third if third_back is None else third_back

    def ring(i: int, scale: float, shift: float) -> Array:
        cx, cy = superellipse(ang, exps[i])
        depth = np.where(cy >= 0, half_third[i], back[i])
        return (
            path[i]
            + t[i] * shift
            + np.outer(cx * half_side[i] * scale, side[i])
            + np.outer(cy * depth * scale, third[i])
        )

    rings = [ring(i, 1.0, 0.0) for i in range(len(path))]
    start = end = None
    if cap_start:
        length = cap_scale * min(half_side[0], half_third[0], back[0])
        betas = np.linspace(0, np.pi / 2, cap_start + 1)[1:-1]
        rings = [ring(0, float(np.cos(b)), -length * float(np.sin(b))) for b in betas[::-1]] + rings
        start = path[0] - t[0] * length
    if cap_end:
        length = cap_scale * min(half_side[-1], half_third[-1], back[-1])
        betas = np.linspace(0, np.pi / 2, cap_end + 1)[1:-1]
        rings = rings + [ring(len(path) - 1, float(np.cos(b)), length * float(np.sin(b))) for b in betas]
        end = path[-1] + t[-1] * length
    return grid(np.stack(rings), start, end)


def sphere_dirs(
    n_lat: int,
    segs: int,
    axis: Sequence[float] = (0, 1, 0),
    front: Sequence[float] = (0, 0, 1),
    lat: Array | None = None,
    density: float = 0.0,
) -> Array:
    """(n_lat, segs, 3) unit directions on rings around ``axis`` from its negative pole to its positive one.

    Ring angle 0 points at ``front``; ``lat`` overrides the ring latitudes (radians, poles excluded).
    """
    ax = np.asarray(axis, dtype=float)
    fr = np.asarray(front, dtype=float)
    side = np.cross(ax, fr)
    if lat is None:
        lat = np.linspace(-np.pi / 2, np.pi / 2, n_lat + 2)[1:-1]
    ang = warped_angles(segs, density)
    cl, sl = np.cos(lat)[:, None, None], np.sin(lat)[:, None, None]
    ca, sa = np.cos(ang)[None, :, None], np.sin(ang)[None, :, None]
    return cl * (ca * fr + sa * side) + sl * ax


def ellipsoid(
    center: Sequence[float],
    radii: Sequence[float],
    n_lat: int,
    segs: int,
    axis: Sequence[float] = (0, 1, 0),
    front: Sequence[float] = (0, 0, 1),
) -> Geo:
    """An ellipsoid; ``radii`` are along (front x axis side, axis, front)."""
    d = sphere_dirs(n_lat, segs, axis, front)
    ax = np.asarray(axis, dtype=float)
    fr = np.asarray(front, dtype=float)
    side = np.cross(ax, fr)
    c = np.asarray(center, dtype=float)

    def place(v: Array) -> Array:
        return (
            c
            + np.outer(v @ side * radii[0], side).reshape(v.shape)
            + np.outer(v @ ax * radii[1], ax).reshape(v.shape)
            + np.outer(v @ fr * radii[2], fr).reshape(v.shape)
        )

    rings = place(d.reshape(-1, 3)).reshape(d.shape)
    return orient(grid(rings, place(-ax[None])[0], place(ax[None])[0]), c)


def cap(
    center: Sequence[float],
    radius: float,
    axis: Sequence[float],
    up: Sequence[float],
    angle: float,
    rings: int,
    segs: int,
    inner: float = 0.0,
) -> Geo:
    """A spherical cap (or zone from ``inner`` to ``angle``) of a sphere, around ``axis``."""
    ax = np.asarray(axis, dtype=float)
    ax /= np.linalg.norm(ax)
    u = np.asarray(up, dtype=float)
    u = u - ax * (u @ ax)
    u /= np.linalg.norm(u)
    v = np.cross(ax, u)
    c = np.asarray(center, dtype=float)
    polar = np.linspace(angle, inner, rings + 1)[: rings + (1 if inner > 0 else 0)]
    ang = np.linspace(0, 2 * np.pi, segs, endpoint=False)
    d = np.cos(polar)[:, None, None] * ax + np.sin(polar)[:, None, None] * (
        np.cos(ang)[None, :, None] * u + np.sin(ang)[None, :, None] * v
    )
    geo = grid(c + radius * d, None, None if inner > 0 else c + radius * ax)
    return orient(geo, c)


# ---------------------------------------------------------------------------------------------------------------
# Signed distance helpers (used to model the head as blended ellipsoids and then mesh it by ray casting)


def sd_ellipsoid(p: Array, center: Sequence[float], radii: Sequence[float]) -> Array:
    """Approximate signed distance to an axis-aligned ellipsoid (Inigo Quilez' bound)."""
    q = p - np.asarray(center, dtype=float)
    r = np.asarray(radii, dtype=float)
    k0 = np.linalg.norm(q / r, axis=-1)
    k1 = np.linalg.norm(q / (r * r), axis=-1)
    return k0 * (k0 - 1.0) / np.maximum(k1, 1e-12)


def smin(a: Array, b: Array, k: float) -> Array:
    """Polynomial smooth minimum (smooth union) with blend radius ``k``."""
    h = np.clip(0.5 + 0.5 * (b - a) / k, 0.0, 1.0)
    return b + (a - b) * h - k * h * (1.0 - h)


def smax(a: Array, b: Array, k: float) -> Array:
    """Smooth maximum (smooth intersection / subtraction with ``-b``)."""
    return -smin(-a, -b, k)


def ray_cast(sdf: SdfFn, origin: Sequence[float] | Array, dirs: Array, r_max: float, steps: int = 48) -> Array:
    """Distance along each unit direction from ``origin`` (inside) to the surface sdf = 0, by bisection."""
    o = np.asarray(origin, dtype=float)
    flat = dirs.reshape(-1, 3)
    lo = np.zeros(len(flat))
    hi = np.full(len(flat), r_max)
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        inside = sdf(o + flat * mid[:, None]) < 0
        lo = np.where(inside, mid, lo)
        hi = np.where(inside, hi, mid)
    return (0.5 * (lo + hi)).reshape(dirs.shape[:-1])


def march_in(sdf: SdfFn, origins: Array, dirs: Array, r_max: float, step: float = 1e-3) -> Array:
    """Distance from each outside origin along its direction to the first point inside ``sdf`` (then refined).

    Unlike :func:`ray_cast` this finds the outermost surface even when a ray would cross the surface several times.
    """
    o = np.broadcast_to(origins, dirs.shape).reshape(-1, 3)
    d = dirs.reshape(-1, 3)
    hit = np.full(len(d), r_max)
    found = np.zeros(len(d), dtype=bool)
    for r in np.arange(0.0, r_max, step):
        todo = ~found
        if not todo.any():
            break
        inside = sdf(o[todo] + d[todo] * r) < 0
        idx = np.nonzero(todo)[0][inside]
        hit[idx] = r
        found[idx] = True
    lo = np.maximum(hit - step, 0.0)
    hi = hit.copy()
    for _ in range(16):
        mid = 0.5 * (lo + hi)
        inside = sdf(o + d * mid[:, None]) < 0
        hi = np.where(inside, mid, hi)
        lo = np.where(inside, lo, mid)
    return (0.5 * (lo + hi)).reshape(dirs.shape[:-1])


def sdf_normal(sdf: SdfFn, p: Array, eps: float = 2e-4) -> Array:
    """Unit gradient of ``sdf`` at points ``p`` (central differences)."""
    g = np.zeros_like(p)
    for k in range(3):
        e = np.zeros(3)
        e[k] = eps
        g[..., k] = sdf(p + e) - sdf(p - e)
    return g / np.maximum(np.linalg.norm(g, axis=-1, keepdims=True), 1e-12)


def smoothstep(e0: float, e1: float, x: Array | float) -> Array:
    """Hermite step from 0 at ``e0`` to 1 at ``e1`` (either order)."""
    t = np.clip((np.asarray(x, dtype=float) - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def rotation(axis: Sequence[float], angle: float) -> Array:
    """3x3 rotation matrix about ``axis`` by ``angle`` radians (right-handed)."""
    a = np.asarray(axis, dtype=float)
    a /= np.linalg.norm(a)
    x, y, z = a
    c, s = np.cos(angle), np.sin(angle)
    cc = 1 - c
    return np.array(
        [
            [c + x * x * cc, x * y * cc - z * s, x * z * cc + y * s],
            [y * x * cc + z * s, c + y * y * cc, y * z * cc - x * s],
            [z * x * cc - y * s, z * y * cc + x * s, c + z * z * cc],
        ]
    )


def smooth_curve(keys: Sequence[tuple[float, float]], x: Array | float) -> Array:
    """Smooth monotone (Fritsch-Carlson) cubic through the (x, value) ``keys``; constant outside them."""
    kx = np.array([k[0] for k in keys], dtype=float)
    kv = np.array([k[1] for k in keys], dtype=float)
    h = np.diff(kx)
    delta = np.diff(kv) / h
    m = np.zeros_like(kv)
    m[0], m[-1] = delta[0], delta[-1]
    for k in range(1, len(kv) - 1):
        if delta[k - 1] * delta[k] > 0:
            w1, w2 = 2 * h[k] + h[k - 1], h[k] + 2 * h[k - 1]
            m[k] = (w1 + w2) / (w1 / delta[k - 1] + w2 / delta[k])
    xc = np.clip(np.asarray(x, dtype=float), kx[0], kx[-1])
    i = np.clip(np.searchsorted(kx, xc, side="right") - 1, 0, len(kx) - 2)
    t = (xc - kx[i]) / h[i]
    t2, t3 = t * t, t * t * t
    return (
        (2 * t3 - 3 * t2 + 1) * kv[i]
        + (t3 - 2 * t2 + t) * h[i] * m[i]
        + (-2 * t3 + 3 * t2) * kv[i + 1]
        + (t3 - t2) * h[i] * m[i + 1]
    )
