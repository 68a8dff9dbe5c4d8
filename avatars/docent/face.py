"""The Docent's face: head skin, eyes, eyelids and lashes, brows, lips, mouth interior and teeth, and the facial
morph targets (EXPRESSIONS, in TARGET_NAMES order). Hair and ears are in hair.py.

The head skin is a signed-distance model (a sliced head outline with ellipsoid features blended on, eye sockets
carved) meshed by casting rays from the head centre on a latitude/longitude grid packed towards the face. Features
that sit on the skin (lips, mouth interior, teeth, brows) are placed in face coordinates (x, y, offset above the
skin) and found again by projecting along +Z, so the morph targets can slide them over the face and keep them on it.
Eyelids are shells around the eyeballs whose edges the targets move (blink, wider eyes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rig import J, Part, rigid
from shapes import (
    Array,
    Geo,
    cap,
    ellipsoid,
    grid,
    keep_faces,
    march_in,
    orient,
    rotation,
    sd_ellipsoid,
    smax,
    smin,
    smooth_curve,
    smoothstep,
    sphere_dirs,
    vec,
    vertex_normals,
)

HC = np.array([0.0, 1.548, 0.0])  # head centre (world); everything below is relative to it unless noted
EYE_R = 0.0152
EYE_XY = (0.0345, 0.0)
MOUTH_Y = -0.0575  # the mouth line at the centre
MOUTH_W = 0.0195  # half-width to the corners
SMILE = 0.0040  # how much higher the corners are than the middle of the mouth line (the neutral face's smile)
JAW_HINGE = np.array([0.0, -0.015, -0.005])

# Eye opening, in degrees on the left eyeball (azimuth phi > 0 is lateral, elevation theta > 0 is up).
CORNER_PHI = 58.0
UPPER_OPEN = 31.0
LOWER_OPEN = -25.0
CORNER_MEDIAL, CORNER_LATERAL = -3.0, 4.0
SOCKET = (66.0, 41.0, 3.0)  # carved opening around the eye: phi half-angle, theta half-angle, theta centre
LID_GAP_UP, LID_GAP_LOW = 0.0011, 0.0007

TARGET_NAMES = ["viseme_aa", "viseme_ih", "viseme_ou", "viseme_ee", "viseme_oh", "blink", "happy", "surprised", "sad"]


@dataclass
class Expression:
    """Controls one morph target sets at weight 1 (all zero = the neutral face)."""

    jaw: float = 0.0  # jaw opening, degrees
    lift: float = 0.0  # upper lip raised at the centre, metres
    drop: float = 0.0  # lower lip lowered at the centre beyond what the jaw does, metres
    width: float = 1.0  # mouth width factor
    pucker: float = 0.0  # 0..1 lips pushed forward and rounded
    corner_up: float = 0.0  # mouth corners up (metres, negative = down)
    corner_out: float = 0.0  # mouth corners outwards (metres)
    cheek: float = 0.0  # cheeks raised (0..1)
    brow: float = 0.0  # whole brow raised (metres)
    brow_inner: float = 0.0  # inner end of the brow raised (metres)
    brow_outer: float = 0.0  # outer end of the brow raised (metres)
    blink: float = 0.0  # 0 open .. 1 closed
    upper_lid: float = 0.0  # upper lid edge raised (degrees)
    lower_lid: float = 0.0  # lower lid edge raised (degrees)


EXPRESSIONS = {
    "viseme_aa": Expression(jaw=0.0, drop=0.0125, lift=0.0018, width=1.06),
    "viseme_ih": Expression(jaw=2.0, drop=0.0022, lift=0.0016, width=1.10, corner_up=0.001),
    "viseme_ou": Expression(jaw=2.0, drop=0.0016, lift=0.0008, width=0.70, pucker=1.0),
    "viseme_ee": Expression(jaw=1.2, drop=0.0014, lift=0.0020, width=1.16, corner_up=0.0015),
    "viseme_oh": Expression(jaw=0.0, drop=0.0080, lift=0.0016, width=0.80, pucker=0.55),
    "blink": Expression(blink=1.0),
    "happy": Expression(
        corner_up=0.0042, corner_out=0.0022, cheek=1.0, brow=0.0018, lower_lid=4.0, upper_lid=-1.5, lift=0.0006
    ),
    "surprised": Expression(
        brow=0.0065, upper_lid=7.0, lower_lid=-3.0, jaw=3.0, drop=0.003, pucker=0.35, width=0.88, lift=0.0008
    ),
    "sad": Expression(brow_inner=0.0042, brow_outer=-0.0022, corner_up=-0.0058, upper_lid=-5.0, jaw=0.8, lower_lid=1.0),
}


# ---------------------------------------------------------------------------------------------------------------
# Skin shape


def _mirror_x(q: Array) -> Array:
    qa = q.copy()
    qa[..., 0] = np.abs(qa[..., 0])
    return qa


# The head's outline as horizontal slices (local y): half-width, front and back (z) of a superelliptic section.
HEAD_BOTTOM, HEAD_TOP = -0.1032, 0.122
HEAD_WIDTH = [
    (-0.1032, 0.004),
    (-0.0995, 0.013),
    (-0.0939, 0.022),
    (-0.0846, 0.032),
    (-0.0679, 0.047),
    (-0.0493, 0.059),
    (-0.03, 0.067),
    (-0.01, 0.072),
    (0.02, 0.076),
    (0.05, 0.077),
    (0.08, 0.071),
    (0.1, 0.058),
    (0.113, 0.040),
    (0.122, 0.004),
]
HEAD_FRONT = [
    (-0.1032, 0.036),
    (-0.0995, 0.052),
    (-0.0939, 0.061),
    (-0.0865, 0.066),
    (-0.0726, 0.069),
    (-0.0586, 0.073),
    (-0.04, 0.076),
    (-0.02, 0.077),
    (0.0, 0.077),
    (0.02, 0.079),
    (0.04, 0.078),
    (0.06, 0.073),
    (0.08, 0.062),
    (0.1, 0.045),
    (0.113, 0.026),
    (0.122, 0.004),
]
HEAD_BACK = [
    (-0.1032, 0.030),
    (-0.0958, 0.018),
    (-0.0865, 0.004),
    (-0.0726, -0.022),
    (-0.0586, -0.052),
    (-0.0446, -0.074),
    (-0.03, -0.090),
    (0.0, -0.105),
    (0.03, -0.112),
    (0.06, -0.108),
    (0.09, -0.090),
    (0.11, -0.058),
    (0.122, -0.010),
]


def _head_loft(q: Array) -> Array:
    """Approximate signed distance to the sliced head outline."""
    y = q[..., 1]
    w = smooth_curve(HEAD_WIDTH, y)
    front = smooth_curve(HEAD_FRONT, y)
    back = smooth_curve(HEAD_BACK, y)
    centre = 0.5 * (front + back)
    half_depth = 0.5 * (front - back)
    n_front = 2.0 + 0.45 * smoothstep(0.11, 0.0, y) * smoothstep(-0.1, -0.05, y)
    dz = q[..., 2] - centre
    n = np.where(dz > 0, n_front, 2.0)
    s = (np.abs(q[..., 0] / w) ** n + np.abs(dz / half_depth) ** n) ** (1.0 / n)
    d = (s - 1.0) * np.minimum(w, half_depth)
    outside = np.maximum(HEAD_BOTTOM - y, y - HEAD_TOP)
    return np.where(outside > 0, np.maximum(d, outside) + 0.01, d)


def _base_sdf_local(q: Array) -> Array:
    qa = _mirror_x(q)
    d = _head_loft(q)
    d = smin(d, sd_ellipsoid(qa, (0.036, -0.032, 0.056), (0.025, 0.024, 0.020)), 0.02)  # cheeks
    d = smin(d, sd_ellipsoid(q, (0, 0.026, 0.064), (0.048, 0.013, 0.018)), 0.016)  # brow
    d = smin(d, sd_ellipsoid(q, (0, -0.088, 0.054), (0.018, 0.014, 0.014)), 0.014)  # chin
    d = smin(d, sd_ellipsoid(q, (0, -0.0555, 0.062), (0.026, 0.018, 0.016)), 0.014)  # mouth mound
    d = smin(d, sd_ellipsoid(q, (0, -0.006, 0.077), (0.0062, 0.022, 0.0095)), 0.010)  # nose bridge
    d = smin(d, sd_ellipsoid(q, (0, -0.025, 0.087), (0.0085, 0.0075, 0.0080)), 0.008)  # nose tip
    d = smin(d, sd_ellipsoid(qa, (0.0088, -0.028, 0.080), (0.0062, 0.0050, 0.0060)), 0.005)  # nostril wings
    return d


def _face_z(x: float, y: float) -> float:
    o = HC + np.array([x, y, 0.2])
    r = march_in(lambda p: _base_sdf_local(p - HC), o[None], np.array([[0.0, 0.0, -1.0]]), 0.25, 5e-4)
    return float(0.2 - r[0])


EYE_C = np.array([EYE_XY[0], EYE_XY[1], _face_z(*EYE_XY) - EYE_R + 0.0016])  # left eye centre (local)
HEAD_SCALE = 1.05  # the finished head is scaled about the head joint: a slightly large, friendly head
HEAD_PIVOT = np.array([0.0, 1.50, -0.012])  # the head joint (rig.py)
EYE_CENTRE = HEAD_PIVOT + HEAD_SCALE * (HC + EYE_C - HEAD_PIVOT)  # world position of the eye_L joint


def _eye_angles(q: Array) -> tuple[Array, Array, Array]:
    """Distance, azimuth and elevation (degrees) of local points seen from the left eye centre."""
    e = q - EYE_C
    rho = np.linalg.norm(e, axis=-1)
    phi = np.degrees(np.arctan2(e[..., 0], e[..., 2]))
    theta = np.degrees(np.arcsin(np.clip(e[..., 1] / np.maximum(rho, 1e-9), -1, 1)))
    return rho, phi, theta


def head_sdf(p: Array) -> Array:
    """Signed distance (approximately) to the head skin, world coordinates."""
    q = p - HC
    d = _base_sdf_local(q)
    rho, phi, theta = _eye_angles(_mirror_x(q))
    ang = np.sqrt((phi / SOCKET[0]) ** 2 + ((theta - SOCKET[2]) / SOCKET[1]) ** 2) - 1.0
    socket = np.maximum(ang * np.radians(SOCKET[1]) * rho, (EYE_R - 0.0012) - rho)
    return smax(d, -socket, 0.0025)


def surface(x: Array, y: Array) -> tuple[Array, Array]:
    """World points and normals of the skin seen straight from the front at local (x, y)."""
    xy = np.stack([np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()], 1)
    o = HC + np.concatenate([xy, np.full((len(xy), 1), 0.2)], 1)
    d = np.tile([0.0, 0.0, -1.0], (len(xy), 1))
    r = march_in(head_sdf, o, d, 0.25, 1e-3)
    p = o + d * r[:, None]
    eps = 2e-4
    g = np.stack([head_sdf(p + e) - head_sdf(p - e) for e in np.eye(3) * eps], 1)
    n = g / np.linalg.norm(g, axis=1, keepdims=True)
    shape = np.shape(x)
    return p.reshape(*shape, 3), n.reshape(*shape, 3)


def on_face(x: Array, y: Array, offset: Array) -> Array:
    """World points ``offset`` metres above the skin at local face coordinates (x, y)."""
    p, n = surface(x, y)
    return p + n * np.asarray(offset, dtype=float)[..., None]


def _latitudes(n: int) -> Array:
    """Ring latitudes for the head grid, packed in the face band."""
    t = np.linspace(-88.5, 88.5, 2000)
    dens = 0.22 + np.exp(-(((t + 12.0) / 40.0) ** 4))
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (dens[1:] + dens[:-1]))])
    cdf /= cdf[-1]
    return np.radians(np.interp(np.linspace(0, 1, n), cdf, t))


def head_skin(hidden: Callable[[Array], Array] | None = None) -> Geo:
    """The head's skin; faces whose three corners all satisfy ``hidden`` (e.g. under the hair) are left out."""
    dirs = sphere_dirs(0, 66, lat=_latitudes(48), density=0.68)
    r = march_in(head_sdf, HC + dirs * 0.17, -dirs, 0.17, 8e-4)
    rings = HC + dirs * (0.17 - r)[..., None]
    bottom = HC + np.array([0, -1.0, 0]) * (
        0.17 - float(march_in(head_sdf, HC + vec(0, -0.17, 0), np.array([[0, 1.0, 0]]), 0.17)[0])
    )
    top = HC + np.array([0, 1.0, 0]) * (
        0.17 - float(march_in(head_sdf, HC + vec(0, 0.17, 0), np.array([[0, -1.0, 0]]), 0.17)[0])
    )
    geo = orient(grid(rings, bottom, top), HC)
    if hidden is None:
        return geo
    return keep_faces(geo, ~hidden(geo.pos)[geo.faces].all(axis=1))


# ---------------------------------------------------------------------------------------------------------------
# Mouth: the deformation field shared by skin, lips, mouth interior and teeth


def _lip_taper(x: Array) -> Array:
    return np.clip(1.0 - (np.abs(x) / MOUTH_W) ** 2, 0.0, 1.0)


def _slide(x: Array, y: Array, lower: Array, e: Expression) -> tuple[Array, Array, Array]:
    """Face-plane displacement (dx, dy) and forward push dz for local face points (lower = 1 on the jaw side)."""
    corner_d2 = ((np.abs(x) - MOUTH_W) / 0.010) ** 2 + ((y - MOUTH_Y) / 0.010) ** 2
    corner = np.exp(-corner_d2)
    around = np.exp(-((x / 0.030) ** 4) - ((y - MOUTH_Y) / 0.016) ** 2)
    sx = np.sign(x)
    dx = (e.width - 1.0) * x * around + e.corner_out * sx * corner
    dy = e.corner_up * corner
    up_lip = (1.0 - lower) * smoothstep(MOUTH_Y + 0.017, MOUTH_Y + 0.004, y) * np.exp(-((x / 0.016) ** 2))
    dy = dy + e.lift * up_lip * smoothstep(MOUTH_Y - 0.004, MOUTH_Y + 0.0005, y)
    low_lip = lower * smoothstep(MOUTH_Y - 0.026, MOUTH_Y - 0.006, y) * np.exp(-((x / 0.017) ** 2))
    dy = dy - e.drop * low_lip
    cheek = np.exp(-(((np.abs(x) - 0.036) / 0.016) ** 2) - ((y + 0.030) / 0.016) ** 2)
    dy = dy + 0.0032 * e.cheek * cheek + 0.0012 * e.cheek * corner
    dz = 0.0016 * e.cheek * cheek
    pucker = np.exp(-((x / 0.016) ** 2) - ((y - MOUTH_Y) / 0.011) ** 2)
    dz = dz + 0.0055 * e.pucker * pucker
    # a rounded opening: the lips part more in the middle when puckered
    dy = dy + e.pucker * 0.0008 * pucker * np.where(lower > 0.5, -1.0, 1.0)
    return dx, dy, dz


def _jaw_shape(x: Array, y: Array) -> Array:
    """Near the mouth line the jaw pull fades towards the corners, so the lips open as an oval."""
    near_mouth = 1.0 - smoothstep(MOUTH_Y - 0.004, MOUTH_Y - 0.022, y)
    return 1.0 - near_mouth * (1.0 - np.sqrt(_lip_taper(x * 0.98)))


def _jaw_weight(x: Array, y: Array, z: Array) -> Array:
    """How much skin at local (x, y, z) follows the jaw."""
    back = smoothstep(0.07, -0.01, z)
    line = MOUTH_Y + (0.004 - MOUTH_Y - 0.012) * back
    vertical = smoothstep(line + 0.001, line - 0.007, y)
    throat = np.clip(smoothstep(-0.03, 0.025, z) + smoothstep(-0.085, -0.06, y), 0.0, 1.0)
    return vertical * _jaw_shape(x, y) * throat


def _jaw_move(p: Array, amount: Array, degrees: float) -> Array:
    rot = rotation((1.0, 0.0, 0.0), np.radians(degrees))
    h = HC + JAW_HINGE
    moved = (p - h) @ rot.T + h
    return (moved - p) * amount[..., None]


def deform_surface_points(
    x: Array, y: Array, offset: Array, lower: Array, e: Expression, puff: Array | float = 0.0
) -> Array:
    """Positions of face-bound points (lips, mouth interior) under expression ``e``."""
    dx, dy, dz = _slide(x, y, lower, e)
    off = offset * (1.0 + np.asarray(puff) * e.pucker)
    p = on_face(x + dx, y + dy, off) + np.stack([0 * dz, 0 * dz, dz], -1)
    p0 = on_face(x, y, offset)
    return p + _jaw_move(p0, lower * _jaw_shape(x, y), e.jaw)


def deform_skin(pos: Array, e: Expression) -> Array:
    """Displacement of head-skin vertices under expression ``e``."""
    q = pos - HC
    x, y, z = q[:, 0], q[:, 1], q[:, 2]
    lower = _jaw_weight(x, y, z)
    face = (z > 0.035) & (np.abs(x) < 0.062) & (y < 0.0) & (y > -0.105)
    delta = np.zeros_like(pos)
    if face.any():
        fx, fy = x[face], y[face]
        dx, dy, dz = _slide(fx, fy, lower[face], e)
        moving = (np.abs(dx) + np.abs(dy) + np.abs(dz)) > 1e-7
        if moving.any():
            a, _ = surface(fx[moving] + dx[moving], fy[moving] + dy[moving])
            b, n = surface(fx[moving], fy[moving])
            idx = np.nonzero(face)[0][moving]
            delta[idx] = a - b + n * dz[moving][:, None]
    delta += _jaw_move(pos, lower, e.jaw)
    # skin in the stretched band between the lips sinks behind the mouth interior
    band = lower * (1.0 - lower) * 4.0 * np.exp(-((x / (MOUTH_W * 1.1)) ** 6))
    opening = min(1.0, e.jaw / 6.0 + e.lift / 0.002 + e.drop / 0.004)
    normal_in = np.stack([0 * x, 0 * x, -np.ones_like(x)], 1)
    return delta + normal_in * (0.006 * opening * band)[:, None]


def _lip_grid(upper: bool, cols: int = 24) -> tuple[Array, Array, Array]:
    """Local face coordinates (x, y, offset) of a lip, rows from the outer border to the inner edge and the tuck."""
    s = np.linspace(-np.pi / 2, np.pi / 2, cols)
    x = MOUTH_W * np.sin(s) * 1.02
    taper = _lip_taper(x)
    smile = SMILE * (x / MOUTH_W) ** 2
    if upper:
        bow = 0.0010 * np.exp(-((x / 0.0035) ** 2))
        height = (0.0058 - bow) * taper**0.55 + 0.0002
        inner = MOUTH_Y + smile + 0.0006
        v = np.array([0.0, 0.12, 0.3, 0.5, 0.7, 0.86, 1.0, 1.08])
        off = np.array([-0.0008, 0.0009, 0.0019, 0.0023, 0.0023, 0.0019, 0.0009, -0.0002])
        y = inner[None] + height[None] * (1.0 - v[:, None])
    else:
        height = 0.0062 * taper**0.6 + 0.0002
        inner = MOUTH_Y + smile - 0.0006
        v = np.array([0.0, 0.12, 0.3, 0.5, 0.7, 0.86, 1.0, 1.08])
        off = np.array([-0.0008, 0.0010, 0.0022, 0.0027, 0.0026, 0.0020, 0.0009, -0.0002])
        y = inner[None] - height[None] * (1.0 - v[:, None])
    y[-1] = y[-2] + (0.0009 if not upper else -0.0009) * taper**0.5
    offs = off[:, None] * (0.25 + 0.75 * taper[None] ** 0.6)
    offs[0] = -0.0008
    xs = np.broadcast_to(x[None], y.shape)
    return xs, y, offs


def _patch_grid(cols: int = 20) -> tuple[Array, Array, Array, Array]:
    """The dark mouth interior: (x, y, offset, lower) with a doubled row on the mouth line that opens."""
    s = np.linspace(-np.pi / 2, np.pi / 2, cols)
    x = MOUTH_W * np.sin(s) * 0.97
    taper = _lip_taper(x)
    smile = SMILE * (x / MOUTH_W) ** 2
    v = np.array([-1.0, -0.6, -0.25, 0.0, 0.0, 0.3, 0.65, 1.0])
    lower = (np.arange(len(v)) < 4).astype(float)
    y = MOUTH_Y + smile[None] + np.where(v[:, None] < 0, 0.0065, 0.0048) * v[:, None] * taper[None] ** 0.5
    xs = np.broadcast_to(x[None], y.shape)
    off = np.full(y.shape, 0.0004)
    return xs, y, off, np.broadcast_to(lower[:, None], y.shape)


def _teeth_grid(cols: int = 14) -> tuple[Array, Array, Array]:
    x = np.linspace(-0.0125, 0.0125, cols)
    smile = SMILE * (x / MOUTH_W) ** 2
    v = np.array([0.0, 0.15, 0.5, 0.8, 1.0])
    y = MOUTH_Y + smile[None] + 0.0014 + 0.0028 * v[:, None]
    off = np.array([0.0005, 0.0007, 0.0007, 0.0003, -0.0006])[:, None] * np.ones_like(x)[None]
    return np.broadcast_to(x[None], y.shape), y, off


def mouth_parts() -> list[Part]:
    parts = []
    for upper in (True, False):
        x, y, off = _lip_grid(upper)
        lower = np.full(x.shape, 0.0 if upper else 1.0)
        puff = np.ones(x.shape) * 0.5
        rest = deform_surface_points(x, y, off, lower, Expression(), puff)
        geo = orient(grid(rest, wrap=False), HC + vec(0, MOUTH_Y, 0.0))
        targets = {
            name: (deform_surface_points(x, y, off, lower, e, puff) - rest).reshape(-1, 3)
            for name, e in EXPRESSIONS.items()
        }
        parts.append(Part("lip_upper" if upper else "lip_lower", "lips", geo, rigid(geo.n, "head"), "Face", targets))
    x, y, off, lower = _patch_grid()
    rest = deform_surface_points(x, y, off, lower, Expression())
    geo = orient(grid(rest, wrap=False), HC + vec(0, MOUTH_Y, 0.0))
    targets = {
        name: (deform_surface_points(x, y, off, lower, e) - rest).reshape(-1, 3) for name, e in EXPRESSIONS.items()
    }
    parts.append(Part("mouth_inside", "mouth", geo, rigid(geo.n, "head"), "Face", targets))
    x, y, off = _teeth_grid()
    geo = orient(grid(on_face(x, y, off), wrap=False), HC + vec(0, MOUTH_Y, 0.0))
    parts.append(
        Part("teeth", "teeth", geo, rigid(geo.n, "head"), "Face", {name: np.zeros((geo.n, 3)) for name in EXPRESSIONS})
    )
    return parts


# ---------------------------------------------------------------------------------------------------------------
# Eyes and lids (left side; the right side is mirrored)


def _aperture(phi: Array) -> tuple[Array, Array, Array]:
    """Open upper edge, open lower edge and closing line (degrees) along the lid azimuths ``phi``."""
    x = phi / CORNER_PHI
    corner = CORNER_MEDIAL + (CORNER_LATERAL - CORNER_MEDIAL) * np.clip((x + 1) / 2, 0, 1)
    inside = np.clip(1.0 - x * x, 0.0, 1.0)
    beyond = np.clip(np.abs(x) - 1.0, 0.0, None)
    upper = corner + (UPPER_OPEN - corner) * inside**0.55 - 70.0 * beyond
    lower = corner + (LOWER_OPEN - corner) * inside**0.75 + 70.0 * beyond
    close = corner - 16.0 * inside**0.6
    return upper, lower, close


def _lid_rings(upper: bool, e: Expression, cols: int = 18) -> Array:
    phi = np.linspace(-88.0, 88.0, cols)
    up_open, low_open, close = _aperture(phi)
    inside = np.clip(1.0 - (phi / CORNER_PHI) ** 2, 0.0, 1.0)
    if upper:
        edge = up_open + e.upper_lid * inside + (close - 3.0 - up_open - e.upper_lid * inside) * e.blink
        far, gap, sign = 72.0, LID_GAP_UP + 0.0007 * e.blink, -1.0
    else:
        edge = low_open + e.lower_lid * inside + (close + 2.5 - low_open - e.lower_lid * inside) * e.blink * 0.9
        far, gap, sign = -70.0, LID_GAP_LOW, 1.0
    r_out, r_in = EYE_R + gap, EYE_R - 0.0004
    t = np.sin(np.linspace(0, 1, 6) * np.pi / 2)
    thetas = [far + (edge - far) * tk for tk in t]
    radii = [np.full(cols, r_out) for _ in t]
    rc, h = 0.5 * (r_out + r_in), 0.5 * (r_out - r_in)
    for g in np.radians([45.0, 90.0, 135.0, 180.0]):
        thetas.append(edge + sign * np.degrees(h / rc) * np.sin(g))
        radii.append(np.full(cols, rc + h * np.cos(g)))
    thetas.append(edge - sign * 6.0)
    radii.append(np.full(cols, r_in))
    th = np.radians(np.stack(thetas))
    ph = np.radians(phi)[None]
    rr = np.stack(radii)
    d = np.stack([np.cos(th) * np.sin(ph), np.sin(th), np.cos(th) * np.cos(ph)], -1)
    return HC + EYE_C + d * rr[..., None]


def lid_parts() -> list[Part]:
    parts = []
    for upper in (True, False):
        rest = _lid_rings(upper, Expression())
        geo = orient(grid(rest, wrap=False), HC + EYE_C)
        targets = {name: (_lid_rings(upper, e) - rest).reshape(-1, 3) for name, e in EXPRESSIONS.items()}
        part = Part("eyelid_upper_L" if upper else "eyelid_lower_L", "skin", geo, rigid(geo.n, "head"), "Face", targets)
        parts += [part, part.mirrored(part.name[:-2] + "_R")]
    return parts


def _lash_rings(e: Expression) -> Array:
    """The dark lash line along the upper lid's edge: the lid's margin rows, lifted a hair off the lid."""
    rings = _lid_rings(True, e)
    phi = np.linspace(-88.0, 88.0, rings.shape[1])
    cols = np.abs(phi) < CORNER_PHI + 6.0
    c = HC + EYE_C
    return c + (rings[4:8][:, cols] - c) * 1.012


def lash_parts() -> list[Part]:
    rest = _lash_rings(Expression())
    geo = orient(grid(rest, wrap=False), HC + EYE_C)
    targets = {name: (_lash_rings(e) - rest).reshape(-1, 3) for name, e in EXPRESSIONS.items()}
    part = Part("lashes_L", "lashes", geo, rigid(geo.n, "head"), "Face", targets)
    return [part, part.mirrored("lashes_R")]


def eye_parts() -> list[Part]:
    c = HC + EYE_C
    fwd, up = (0.0, 0.0, 1.0), (0.0, 1.0, 0.0)
    iris_deg, pupil_deg = 31.0, 13.0
    pieces = [
        ("sclera", "eye_white", ellipsoid(c, (EYE_R, EYE_R, EYE_R), 9, 18, axis=fwd, front=up)),
        ("iris", "iris", cap(c, EYE_R + 0.00022, fwd, up, np.radians(iris_deg), 5, 26)),
        (
            "limbus",
            "limbus",
            cap(c, EYE_R + 0.00034, fwd, up, np.radians(iris_deg + 0.3), 2, 26, inner=np.radians(iris_deg - 4.0)),
        ),
        ("pupil", "pupil", cap(c, EYE_R + 0.00046, fwd, up, np.radians(pupil_deg), 3, 20)),
    ]
    glint_axis = rotation((1.0, 0.0, 0.0), np.radians(-14.0)) @ rotation((0.0, 1.0, 0.0), np.radians(-12.0)) @ [0, 0, 1]
    pieces.append(("catchlight", "catchlight", cap(c, EYE_R + 0.0006, glint_axis, up, np.radians(4.6), 2, 12)))
    parts = []
    for name, mat, geo in pieces:
        part = Part(name + "_L", mat, geo, rigid(geo.n, "eye_L"), "Eyes")
        mirrored = part.mirrored(name + "_R")
        if name == "catchlight":  # the highlight keeps to the same side on both eyes
            mirrored = Part(name + "_R", mat, Geo(geo.pos - [2 * c[0], 0, 0], geo.faces), rigid(geo.n, "eye_R"), "Eyes")
        parts += [part, mirrored]
    return parts


# ---------------------------------------------------------------------------------------------------------------
# Brows


def _brow_points(e: Expression, cols: int = 16) -> Array:
    s = np.linspace(0.0, 1.0, cols)
    x = 0.0115 + 0.040 * s
    arch = 0.0042 * np.sin(np.pi * np.clip(s * 0.85, 0, 1)) - 0.0030 * s**2
    y = EYE_C[1] + 0.0245 + arch
    y = y + e.brow + e.brow_inner * (1 - s) ** 1.5 + e.brow_outer * s**1.5
    half = 0.0026 * (1.0 - s) + 0.0011 * s + 0.0005
    v = np.array([-1.0, -0.7, -0.2, 0.3, 0.75, 1.0])
    thick = np.array([-0.0004, 0.0005, 0.0011, 0.0011, 0.0006, -0.0004])
    ys = y[None] + v[:, None] * half[None]
    xs = np.broadcast_to(x[None], ys.shape)
    ends = np.minimum(1.0, np.minimum(s / 0.12, (1.0 - s) / 0.1)) ** 0.5
    return on_face(xs, ys, thick[:, None] * (0.35 + 0.65 * ends[None]))


def brow_parts() -> list[Part]:
    rest = _brow_points(Expression())
    geo = orient(grid(rest, wrap=False), HC + vec(0.03, 0.02, 0.0))
    targets = {name: (_brow_points(e) - rest).reshape(-1, 3) for name, e in EXPRESSIONS.items()}
    part = Part("brow_L", "hair", geo, rigid(geo.n, "head"), "Face", targets)
    return [part, part.mirrored("brow_R")]


# ---------------------------------------------------------------------------------------------------------------


def skin_part(hidden: Callable[[Array], Array] | None = None) -> Part:
    geo = head_skin(hidden)
    q = geo.pos - HC
    w = rigid(geo.n, "head")
    neckish = smoothstep(-0.075, -0.118, q[:, 1]) * smoothstep(0.035, -0.01, q[:, 2])
    w[:, J["head"]] *= 1.0 - 0.6 * neckish
    w[:, J["neck"]] += 0.6 * neckish
    targets = {name: deform_skin(geo.pos, e) for name, e in EXPRESSIONS.items()}
    return Part("head", "skin", geo, w, "Face", targets)


def face_parts() -> list[Part]:
    """Everything on the face that the morph targets move, and the eyeballs."""
    return mouth_parts() + lid_parts() + lash_parts() + brow_parts() + eye_parts()


def scale_head(parts: list[Part]) -> None:
    """Scale finished head parts (and their morph deltas) by HEAD_SCALE about the head joint, in place."""
    for p in parts:
        p.geo = Geo(HEAD_PIVOT + HEAD_SCALE * (p.geo.pos - HEAD_PIVOT), p.geo.faces)
        p.targets = {k: v * HEAD_SCALE for k, v in p.targets.items()}


def normals_and_deltas(part: Part) -> tuple[Array, list[tuple[Array, Array]]]:
    """Smooth normals of a part and (position, normal) deltas for each morph target in TARGET_NAMES order."""
    base = vertex_normals(part.geo.pos, part.geo.faces)
    out = []
    for name in TARGET_NAMES:
        dp = part.targets.get(name)
        if dp is None or not np.any(np.abs(dp) > 1e-7):
            out.append((np.zeros_like(base), np.zeros_like(base)))
            continue
        nn = vertex_normals(part.geo.pos + dp, part.geo.faces)
        out.append((dp, nn - base))
    return base, out
