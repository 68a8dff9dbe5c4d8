"""The Docent's body: neck, blazer with shirt, lapels, collar and badge, arms with hands, trousers and shoes.

Body parts are lofts (rings of superelliptic cross-sections) that overlap where they meet, so no seams need to be
welded; skin weights blend smoothly across each joint along the bones.
"""

from __future__ import annotations

import numpy as np
from rig import Part, chain, jpos, mix, rigid
from shapes import Array, Geo, grid, merge, orient, smooth_curve, smoothstep, sweep, vec

# ---------------------------------------------------------------------------------------------------------------
# Torso profile (blazer): half-width, front and back depth, centre z and squareness by height


WIDTH = [
    (0.80, 0.170),
    (0.86, 0.168),
    (0.94, 0.156),
    (1.03, 0.140),
    (1.10, 0.146),
    (1.20, 0.158),
    (1.25, 0.164),
    (1.29, 0.180),
    (1.325, 0.196),
    (1.35, 0.192),
    (1.37, 0.178),
    (1.39, 0.152),
    (1.41, 0.110),
    (1.425, 0.066),
]
FRONT = [
    (0.80, 0.104),
    (0.90, 0.104),
    (1.00, 0.094),
    (1.10, 0.104),
    (1.20, 0.112),
    (1.28, 0.108),
    (1.34, 0.094),
    (1.39, 0.076),
    (1.41, 0.064),
    (1.425, 0.054),
]
BACK = [
    (0.80, 0.114),
    (0.88, 0.116),
    (1.00, 0.094),
    (1.12, 0.098),
    (1.25, 0.104),
    (1.33, 0.098),
    (1.39, 0.082),
    (1.41, 0.070),
    (1.425, 0.058),
]
CENTRE_Z = [(0.80, -0.012), (1.00, -0.018), (1.20, -0.010), (1.35, -0.016), (1.425, -0.020)]
SQUARE = [(0.80, 2.7), (0.90, 2.6), (1.00, 2.3), (1.25, 2.6), (1.40, 2.3)]
V_BOTTOM = 1.075  # the blazer's button, where its V opening ends
COLLAR_Y = 1.405
HEM_Y, TOP_Y = 0.80, 1.425


def torso_profile(y: Array) -> tuple[Array, Array, Array, Array, Array]:
    return (
        smooth_curve(WIDTH, y),
        smooth_curve(FRONT, y),
        smooth_curve(BACK, y),
        smooth_curve(CENTRE_Z, y),
        smooth_curve(SQUARE, y),
    )


def torso_front(x: Array, y: Array, offset: Array | float = 0.0) -> Array:
    """Point on the blazer front at (x, y), lifted ``offset`` along the surface normal."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)

    def z_at(xx: Array, yy: Array) -> Array:
        w, f, _, c, e = torso_profile(yy)
        u = np.clip(np.abs(xx) / w, 0.0, 0.999)
        return c + f * (1.0 - u**e) ** (1.0 / e)

    z = z_at(x, y)
    h = 1e-4
    dzdx = (z_at(x + h, y) - z_at(x - h, y)) / (2 * h)
    dzdy = (z_at(x, y + h) - z_at(x, y - h)) / (2 * h)
    n = np.stack([-dzdx, -dzdy, np.ones_like(z)], -1)
    n /= np.linalg.norm(n, axis=-1, keepdims=True)
    return np.stack([x, y, z], -1) + n * np.asarray(offset, dtype=float)[..., None]


def blazer() -> Part:
    ys = np.concatenate([np.linspace(HEM_Y, 1.30, 16), np.linspace(1.315, TOP_Y, 9)])
    w, f, b, c, e = torso_profile(ys)
    segs = 32
    ang = np.linspace(-np.pi, np.pi, segs, endpoint=False)
    ang = ang - 0.25 * np.sin(2 * ang)  # a few more columns at the sides, where the shoulders curve
    rings = []
    for i, yy in enumerate(ys):
        s, co = np.sin(ang), np.cos(ang)
        px = np.sign(s) * np.abs(s) ** (2 / e[i]) * w[i]
        depth = np.where(co >= 0, f[i], b[i])
        pz = c[i] + np.sign(co) * np.abs(co) ** (2 / e[i]) * depth
        rings.append(np.stack([px, np.full(segs, yy), pz], 1))
    # the hem turns under, and the top closes around the neck (the neck and collar hide it)
    hem = [rings[0] * [0.96, 1, 0.96] + vec(0, 0.004, 0), rings[0] * [0.88, 1, 0.88] + vec(0, 0.012, 0)]
    top = [rings[-1] * [0.86, 1, 0.86] + vec(0, 0.003, 0)]
    all_rings = np.stack(hem[::-1] + rings + top)
    geo = grid(all_rings, [0, HEM_Y + 0.03, -0.012], [0, ys[-1] + 0.006, -0.022])
    geo = orient(geo, [0, 1.1, -0.01])
    return Part("blazer", "blazer", geo, torso_weights(geo.pos))


def torso_weights(pos: Array) -> Array:
    w = chain(
        pos,
        ["hips", "spine", "chest", "neck"],
        [
            (0, HEM_Y, 0),
            jpos("hips"),
            jpos("spine") + vec(0, 0.04, 0),
            jpos("chest") + vec(0, 0.12, 0),
            jpos("neck") + vec(0, 0.05, 0),
        ],
        [0.06, 0.07, 0.05],
    )
    for side in ("L", "R"):
        sx = 1.0 if side == "L" else -1.0
        ball = jpos(f"upper_arm_{side}")
        lateral = smoothstep(0.07, 0.15, pos[:, 0] * sx)
        high = smoothstep(1.20, 1.33, pos[:, 1])
        shoulder = lateral * high
        w = mix(w, rigid(len(pos), f"shoulder_{side}"), 0.7 * shoulder)
        near_ball = np.exp(-((np.linalg.norm(pos - ball, axis=1) / 0.075) ** 2)) * smoothstep(0.1, 0.17, pos[:, 0] * sx)
        w = mix(w, rigid(len(pos), f"upper_arm_{side}"), 0.65 * near_ball)
    return w


def shirt_front() -> Part:
    """The white shirt inside the blazer's V, tucked under the lapels at its sides."""
    ys = np.linspace(V_BOTTOM + 0.004, TOP_Y + 0.01, 16)
    half = v_half(ys) + 0.014 + 0.012 * smoothstep(V_BOTTOM, V_BOTTOM + 0.06, ys)
    u = np.linspace(-1.0, 1.0, 11)
    x = u[None, :] * half[:, None]
    y = np.broadcast_to(ys[:, None], x.shape)
    off = 0.0016 - 0.0032 * smoothstep(0.75, 1.0, np.abs(u))[None, :]
    pts = torso_front(x, y, off)
    geo = orient(grid(pts, wrap=False), [0, 1.25, -0.05])
    return Part("shirt_front", "shirt", geo, torso_weights(geo.pos))


def v_half(y: Array) -> Array:
    """Half-width of the blazer's V opening at height y."""
    t = np.clip((y - V_BOTTOM) / (COLLAR_Y - V_BOTTOM), 0.0, 1.0)
    return 0.003 + 0.040 * t**1.1


def lapel() -> Part:
    """The left lapel: a rolled strip along the V, widest at the chest, with a notch below the collar."""
    ys = np.linspace(V_BOTTOM - 0.012, COLLAR_Y + 0.012, 24)
    inner = v_half(ys) - 0.006 * smoothstep(V_BOTTOM + 0.02, V_BOTTOM - 0.01, ys)
    width = smooth_curve(
        [
            (V_BOTTOM - 0.012, 0.016),
            (1.16, 0.040),
            (1.27, 0.056),
            (1.325, 0.060),
            (1.345, 0.052),
            (1.358, 0.030),
            (1.372, 0.044),
            (COLLAR_Y + 0.012, 0.040),
        ],
        ys,
    )
    v = np.array([-0.10, -0.04, 0.0, 0.1, 0.35, 0.65, 0.9, 1.0, 1.06])
    off = np.array([0.0004, 0.0026, 0.0040, 0.0046, 0.0046, 0.0044, 0.0038, 0.0022, -0.0008])
    x = inner[:, None] + v[None, :] * width[:, None] * np.where(v < 0, 0.3, 1.0)[None, :]
    y = np.broadcast_to(ys[:, None], x.shape)
    pts = torso_front(x, y, np.broadcast_to(off[None, :], x.shape))
    geo = orient(grid(pts, wrap=False), [0.05, 1.25, -0.05])
    return Part("lapel_L", "blazer", geo, torso_weights(geo.pos))


def blazer_collar() -> Part:
    """The blazer's collar standing around the back of the neck, tapering into the lapels at the front."""
    ang = np.radians(np.linspace(-105, 105, 22))  # 0 = straight back
    k = (np.abs(ang) / np.radians(105)) ** 2
    neck = jpos("neck")
    r = 0.063 + 0.012 * np.sqrt(k)
    top, bottom = 1.452 - 0.030 * k, 1.405 - 0.004 * k
    path = np.stack([np.sin(ang) * r, 0.5 * (top + bottom), neck[2] - np.cos(ang) * r], 1)
    geo = sweep(
        path,
        0.5 * (top - bottom),
        np.full(len(ang), 0.0045),
        ref=(0, 1, 0),
        segs=10,
        exponent=2.6,
        cap_start=2,
        cap_end=2,
    )
    geo = orient(geo, neck + vec(0, 0.01, 0))
    return Part("blazer_collar", "blazer", geo, torso_weights(geo.pos))


def shirt_collar() -> list[Part]:
    """A white shirt collar: a band around the neck and two pointed flaps spreading onto the chest."""
    neck_c = jpos("neck")
    ang = np.radians(np.linspace(-172, 172, 24))  # 0 = back
    front = np.abs(ang) / np.pi
    r = 0.0530 + 0.0045 * front**2
    low = 1.404 + 0.012 * smoothstep(0.55, 1.0, front)
    high = 1.450 - 0.022 * smoothstep(0.5, 1.0, front)
    path = np.stack([np.sin(ang) * r, 0.5 * (low + high), neck_c[2] - np.cos(ang) * r], 1)
    band = sweep(
        path, 0.5 * (high - low), np.full(len(ang), 0.0022), ref=(0, 1, 0), segs=8, exponent=2.8, cap_start=1, cap_end=1
    )
    band = orient(band, neck_c + vec(0, 0.02, 0))
    w = chain(band.pos, ["chest", "neck"], [jpos("chest"), neck_c, jpos("head")], [0.03])
    parts = [Part("shirt_collar", "shirt", band, w)]
    # left flap: corners top-inner, top-outer, point, bottom-inner (x, y on the chest)
    corners = np.array([[0.003, 1.430], [0.037, 1.431], [0.033, 1.366], [0.005, 1.396]])
    u = np.linspace(0, 1, 7)[None, :, None]
    v = np.linspace(0, 1, 6)[:, None, None]
    top = corners[0] + (corners[1] - corners[0]) * u
    bottom = corners[3] + (corners[2] - corners[3]) * u
    xy = top + (bottom - top) * v
    edge = np.minimum(np.minimum(u, 1 - u) * 6, np.minimum(v, 1 - v) * 5)[..., 0]
    off = 0.0024 + (0.0030 + 0.0045 * u[..., 0]) * np.clip(edge, 0, 1) ** 0.5
    pts = torso_front(xy[..., 0], xy[..., 1], off)
    flap = orient(grid(pts, wrap=False), [0.02, 1.41, -0.05])
    flap_part = Part("collar_point_L", "shirt", flap, torso_weights(flap.pos))
    return [*parts, flap_part, flap_part.mirrored("collar_point_R")]


def badge() -> list[Part]:
    """The gold name badge on the guide's left chest, with two engraved lines for the name."""
    cx, cy = 0.100, 1.262
    xs = np.linspace(cx - 0.022, cx + 0.022, 6)
    centre = torso_front(xs, np.full_like(xs, cy), 0.0022)
    geo = sweep(
        centre,
        np.full(len(xs), 0.0078),
        np.full(len(xs), 0.0016),
        ref=(0, 1, 0),
        segs=14,
        exponent=5.0,
        cap_start=2,
        cap_end=2,
    )
    geo = orient(geo, torso_front(cx, cy, -0.01))
    parts = [Part("badge", "gold", geo, torso_weights(geo.pos))]
    lines = []
    for dy, length in ((0.0026, 0.015), (-0.0026, 0.010)):
        lx = np.linspace(cx - length, cx + length, 5)
        path = torso_front(lx, np.full_like(lx, cy + dy), 0.0039)
        g = sweep(path, np.full(5, 0.0009), np.full(5, 0.0004), ref=(0, 1, 0), segs=6, cap_start=1, cap_end=1)
        lines.append(orient(g, torso_front(cx, cy, -0.01)))
    g = merge(lines)
    parts.append(Part("badge_text", "ink", g, torso_weights(g.pos)))
    return parts


def raised_strip(
    name: str, material: str, x: Array, y: Array, half: Array | float, height: float, base: float = 0.0
) -> Part:
    """A strip lying on the blazer along the curve (x, y): ``half`` its half-width, ``height`` how far it stands up
    from ``base`` (its rounded edges dip just under ``base``)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    tangent = np.gradient(np.stack([x, y], 1), axis=0)
    tangent /= np.linalg.norm(tangent, axis=1, keepdims=True)
    normal = np.stack([-tangent[:, 1], tangent[:, 0]], 1)
    v = np.array([-1.08, -0.9, -0.55, 0.0, 0.55, 0.9, 1.08])
    prof = np.array([-0.0006, 0.45, 0.9, 1.0, 0.9, 0.45, -0.0006])
    hw = np.broadcast_to(np.asarray(half, dtype=float), x.shape)
    px = x[:, None] + normal[:, 0:1] * v[None] * hw[:, None]
    py = y[:, None] + normal[:, 1:2] * v[None] * hw[:, None]
    off = base + np.where(prof < 0, prof, prof * height)[None, :] * np.ones_like(px)
    pts = torso_front(px, py, off)
    geo = orient(grid(pts, wrap=False), torso_front(x[len(x) // 2], y[len(y) // 2], -0.02))
    return Part(name, material, geo, torso_weights(geo.pos))


def blazer_details() -> list[Part]:
    """Front cut-away below the button, pocket flaps, breast-pocket welt, and the shirt's placket and buttons."""
    parts = []
    ys = np.linspace(V_BOTTOM - 0.02, HEM_Y + 0.004, 14)
    t = (V_BOTTOM - 0.02 - ys) / (V_BOTTOM - 0.02 - HEM_Y)
    edge_x = 0.004 + 0.058 * t**1.7
    u = np.linspace(-1.0, 1.0, 9)
    gx = u[None, :] * (edge_x[:, None] + 0.004)
    gy = np.broadcast_to(ys[:, None], gx.shape)
    opening = torso_front(gx, gy, np.full(gx.shape, 0.0012))
    geo = orient(grid(opening, wrap=False), [0, 0.9, -0.05])
    parts.append(Part("blazer_opening", "trousers", geo, torso_weights(geo.pos)))
    front_edge = raised_strip("blazer_front_L", "blazer", edge_x + 0.0035, ys, 0.0045, 0.0022, 0.0008)
    parts += [front_edge, front_edge.mirrored("blazer_front_R")]
    fx = np.linspace(0.062, 0.148, 10)
    flap = raised_strip("pocket_flap_L", "blazer", fx, 0.935 - 0.004 * ((fx - 0.105) / 0.045) ** 2, 0.0085, 0.0022)
    parts += [flap, flap.mirrored("pocket_flap_R")]
    wx = np.linspace(0.074, 0.128, 8)
    parts.append(raised_strip("breast_welt", "blazer", wx, 1.222 + 0.08 * (wx - 0.074) * 0.1, 0.0045, 0.0014))
    py = np.linspace(V_BOTTOM + 0.004, 1.40, 16)
    parts.append(raised_strip("shirt_placket", "shirt", np.full_like(py, 0.0), py, 0.0075, 0.0011, 0.0016))
    buttons = []
    for by in (1.175, 1.275, 1.372):
        c = torso_front(0.0, by, 0.0026)
        path = np.stack([c, c + vec(0, 0, 0.0015)])
        buttons.append(
            orient(
                sweep(path, np.full(2, 0.0034), np.full(2, 0.0034), ref=(1, 0, 0), segs=8, cap_start=1, cap_end=2),
                c - vec(0, 0, 0.01),
            )
        )
    g = merge(buttons)
    parts.append(Part("shirt_buttons", "pearl", g, torso_weights(g.pos)))
    return parts


def button() -> Part:
    c = torso_front(0.0, V_BOTTOM - 0.018, 0.0012)
    path = np.stack([c, c + vec(0, 0, 0.003)])
    geo = sweep(path, np.full(2, 0.0085), np.full(2, 0.0085), ref=(1, 0, 0), segs=12, cap_start=1, cap_end=3)
    geo = orient(geo, c - vec(0, 0, 0.01))
    return Part("button", "gold", geo, torso_weights(geo.pos))


def neck() -> Part:
    ys = np.linspace(1.34, 1.52, 8)
    base = jpos("neck")
    z = base[2] + 0.012 * (ys - 1.34) / 0.18
    path = np.stack([np.zeros_like(ys), ys, z], 1)
    rx = smooth_curve([(1.34, 0.056), (1.40, 0.049), (1.46, 0.046), (1.52, 0.046)], ys)
    rz = smooth_curve([(1.34, 0.056), (1.40, 0.050), (1.46, 0.048), (1.52, 0.050)], ys)
    geo = sweep(path, rx, rz, ref=(1, 0, 0), segs=20, cap_start=1, cap_end=1)
    geo = orient(geo, base)
    w = chain(
        geo.pos,
        ["chest", "neck", "head"],
        [jpos("chest"), base, jpos("head"), jpos("head") + vec(0, 0.1, 0)],
        [0.025, 0.03],
    )
    return Part("neck", "skin", geo, w)


# ---------------------------------------------------------------------------------------------------------------
# Arms and hands (left; the right side is mirrored)


def arm_axis(s: Array) -> Array:
    """Point at distance s along the left arm from the shoulder ball (past the elbow follows the forearm)."""
    a, e, w = jpos("upper_arm_L"), jpos("lower_arm_L"), jpos("hand_L")
    l1, l2 = np.linalg.norm(e - a), np.linalg.norm(w - e)
    s = np.asarray(s, dtype=float)[:, None]
    return np.where(s <= l1, a + (e - a) * s / l1, e + (w - e) * (s - l1) / l2)


def arm_weights(pos: Array, side: str = "L") -> Array:
    sh, a, e, w = (jpos(f"{n}_{side}") for n in ("shoulder", "upper_arm", "lower_arm", "hand"))
    wt = chain(
        pos,
        [f"shoulder_{side}", f"upper_arm_{side}", f"lower_arm_{side}", f"hand_{side}"],
        [sh, a, e, w, w + (w - e) * 0.5],
        [0.035, 0.05, 0.03],
    )
    # the top of the sleeve blends into the chest like the blazer around it
    top = smoothstep(a[1] - 0.02, a[1] + 0.05, pos[:, 1]) * smoothstep(a[0] + 0.01, a[0] - 0.06, pos[:, 0])
    return mix(wt, torso_weights(pos), 0.5 * top)


def sleeve() -> Part:
    l1 = np.linalg.norm(jpos("lower_arm_L") - jpos("upper_arm_L"))
    s = np.concatenate([np.linspace(0.0, 0.2, 5), np.linspace(0.25, l1 + 0.215, 11)])
    path = arm_axis(s)
    side = smooth_curve([(0, 0.044), (0.07, 0.044), (0.16, 0.042), (0.28, 0.040), (0.40, 0.038), (0.50, 0.037)], s)
    front = smooth_curve([(0, 0.048), (0.07, 0.047), (0.16, 0.044), (0.28, 0.041), (0.40, 0.037), (0.50, 0.035)], s)
    end = np.array([path[-1] + (path[-1] - path[-2]) * 0.15, path[-1] + (path[-1] - path[-2]) * 0.1])
    path = np.concatenate([path, end])
    side = np.concatenate([side, side[-1:] * 0.94, side[-1:] * 0.78])
    front = np.concatenate([front, front[-1:] * 0.94, front[-1:] * 0.78])
    geo = sweep(path, side, front, ref=(1, 0, 0), segs=18, exponent=2.1, cap_start=3, cap_end=2, cap_scale=0.45)
    geo = orient(geo, jpos("lower_arm_L"))
    return Part("sleeve_L", "blazer", geo, arm_weights(geo.pos))


def cuff() -> Part:
    l1 = np.linalg.norm(jpos("lower_arm_L") - jpos("upper_arm_L"))
    s = l1 + np.array([0.19, 0.196, 0.206, 0.224, 0.229, 0.232])
    path = arm_axis(s)
    r = np.array([0.026, 0.0305, 0.031, 0.031, 0.029, 0.024])
    geo = sweep(path, r, r * 0.96, ref=(1, 0, 0), segs=18)
    geo = _outward_band(geo, path)
    return Part("cuff_L", "shirt", geo, arm_weights(geo.pos))


def _outward_band(geo: Geo, path: Array) -> Geo:
    """Orient an open band so its faces point away from the axis through ``path``."""
    a, b = path[0], path[-1]
    d = (b - a) / np.linalg.norm(b - a)
    tri = geo.pos[geo.faces]
    c = tri.mean(axis=1)
    radial = (c - a) - np.outer((c - a) @ d, d)
    n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    if float(np.sum(n * radial)) < 0:
        return Geo(geo.pos, geo.faces[:, ::-1].copy())
    return geo


def hand() -> Part:
    """A relaxed hand hanging from the wrist: palm towards the thigh, four slightly curled fingers and a thumb."""
    wrist, elbow = jpos("hand_L"), jpos("lower_arm_L")
    down = (wrist - elbow) / np.linalg.norm(wrist - elbow)
    inward = np.array([-1.0, 0.0, 0.0]) - down * (-down[0])
    inward /= np.linalg.norm(inward)
    front = np.cross(inward, down)  # points forward (+Z)
    if front[2] < 0:
        front = -front
    pieces = []
    # wrist and palm
    s = np.array([-0.06, -0.03, 0.0, 0.02, 0.045, 0.07, 0.088, 0.098])
    path = wrist + np.outer(s, down)
    thick = np.array([0.0225, 0.0215, 0.0190, 0.0150, 0.0138, 0.0132, 0.0122, 0.0112])
    width = np.array([0.0255, 0.0245, 0.0250, 0.0330, 0.0375, 0.0385, 0.0380, 0.0360])
    pieces.append(sweep(path, thick, width, ref=inward, segs=14, exponent=2.3, cap_start=2, cap_end=2))
    # fingers: across the palm from the thumb side (front) to the little finger (back)
    for across, length, radius in (
        (0.026, 0.068, 0.0082),
        (0.0085, 0.076, 0.0084),
        (-0.0095, 0.072, 0.0080),
        (-0.026, 0.058, 0.0072),
    ):
        base = wrist + down * 0.086 + front * across
        pts = [base]
        direction = down.copy()
        bends = (0.0, 14.0, 22.0, 18.0)
        seglens = (0.0, 0.42, 0.32, 0.26)
        angle = 0.0
        for bend, frac in zip(bends[1:], seglens[1:], strict=True):
            angle += np.radians(bend)
            direction = np.cos(angle) * down + np.sin(angle) * inward
            pts.append(pts[-1] + direction * length * frac)
        pts_arr = np.array(pts)
        fine = np.array(
            [pts_arr[0] + (pts_arr[1] - pts_arr[0]) * t for t in (0.0, 0.5)]
            + [pts_arr[1] + (pts_arr[2] - pts_arr[1]) * t for t in (0.0, 0.5)]
            + [pts_arr[2] + (pts_arr[3] - pts_arr[2]) * t for t in (0.0, 0.5, 1.0)]
        )
        taper = np.linspace(1.0, 0.82, len(fine))
        pieces.append(sweep(fine, radius * taper * 0.92, radius * taper, ref=inward, segs=6, cap_start=1, cap_end=2))
    # thumb from the base of the palm, forward and down
    tdir = down * 0.80 + front * 0.36 + inward * 0.40
    tdir /= np.linalg.norm(tdir)
    base = wrist + down * 0.026 + front * 0.019 + inward * 0.003
    tpath = base + np.outer(np.linspace(0, 0.050, 5), tdir)
    tpath += np.outer(np.linspace(0, 1, 5) ** 2 * 0.006, down - front * 0.4)
    radius = np.linspace(0.0112, 0.0086, 5)
    pieces.append(sweep(tpath, radius, radius * 0.92, ref=inward, segs=9, cap_start=1, cap_end=2))
    pieces = [orient(g, g.pos.mean(axis=0)) for g in pieces]
    geo = merge(pieces)
    return Part("hand_L", "skin", geo, arm_weights(geo.pos))


# ---------------------------------------------------------------------------------------------------------------
# Legs


def pelvis() -> Part:
    ys = np.linspace(0.815, 0.96, 6)
    w = smooth_curve([(0.815, 0.13), (0.87, 0.155), (0.96, 0.150)], ys)
    f = smooth_curve([(0.815, 0.08), (0.90, 0.090), (0.96, 0.088)], ys)
    b = smooth_curve([(0.815, 0.095), (0.88, 0.106), (0.96, 0.095)], ys)
    path = np.stack([np.zeros_like(ys), ys, np.full_like(ys, -0.012)], 1)
    geo = sweep(path, w, b, ref=(1, 0, 0), segs=20, exponent=2.3, cap_start=2, cap_end=1, third_back=f, cap_scale=0.35)
    geo = orient(geo, [0, 0.88, -0.012])
    return Part("pelvis", "trousers", geo, leg_weights(geo.pos, pelvis=True))


def leg_weights(pos: Array, pelvis: bool = False) -> Array:
    out = np.zeros((len(pos), 22))
    for side, sx in (("L", 1.0), ("R", -1.0)):
        h, k, a = jpos(f"upper_leg_{side}"), jpos(f"lower_leg_{side}"), jpos(f"foot_{side}")
        w = chain(
            pos,
            ["hips", f"upper_leg_{side}", f"lower_leg_{side}", f"foot_{side}"],
            [h + vec(0, 0.12, 0), h + vec(0, 0.03, 0), k, a, a + vec(0, -0.05, 0.15)],
            [0.07, 0.04, 0.03],
        )
        share = smoothstep(-0.03, 0.03, pos[:, 0] * sx)
        out += w * share[:, None]
    if pelvis:
        out = mix(out, rigid(len(pos), "hips"), smoothstep(0.82, 0.9, pos[:, 1]))
    return out


def trouser_leg() -> Part:
    h, k, a = jpos("upper_leg_L"), jpos("lower_leg_L"), jpos("foot_L")
    top = h + vec(-0.012, 0.02, 0.0)
    ts = np.linspace(0, 1, 18)
    l1, l2 = np.linalg.norm(k - top), np.linalg.norm(a - k)
    hem = a + vec(0.0, -0.05, 0.01)
    l3 = np.linalg.norm(hem - a)
    total = l1 + l2 + l3
    s = ts * total
    path = np.where(
        s[:, None] <= l1,
        top + (k - top) * (s / l1)[:, None],
        np.where(
            s[:, None] <= l1 + l2, k + (a - k) * ((s - l1) / l2)[:, None], a + (hem - a) * ((s - l1 - l2) / l3)[:, None]
        ),
    )
    r_side = smooth_curve(
        [(0, 0.070), (0.12, 0.070), (0.30, 0.064), (l1, 0.058), (l1 + 0.15, 0.056), (total, 0.054)], s
    )
    r_front = smooth_curve(
        [(0, 0.070), (0.12, 0.072), (0.30, 0.066), (l1, 0.058), (l1 + 0.15, 0.057), (total, 0.058)], s
    )
    end = np.array([path[-1] + vec(0, 0.004, 0), path[-1] + vec(0, 0.010, 0)])
    path = np.concatenate([path, end])
    r_side = np.concatenate([r_side, r_side[-1:] * 0.93, r_side[-1:] * 0.75])
    r_front = np.concatenate([r_front, r_front[-1:] * 0.93, r_front[-1:] * 0.75])
    geo = sweep(path, r_side, r_front, ref=(1, 0, 0), segs=16, exponent=2.05, cap_start=2, cap_end=2)
    geo = orient(geo, k)
    return Part("trouser_leg_L", "trousers", geo, leg_weights(geo.pos))


def shoe() -> list[Part]:
    a = jpos("foot_L")
    turn = np.radians(6.0)
    fwd = np.array([np.sin(turn), 0.0, np.cos(turn)])
    zs = np.linspace(-0.075, 0.17, 11)
    centre = a + np.outer(zs + 0.028, fwd)
    centre[:, 1] = 0.0
    width = smooth_curve(
        [(-0.075, 0.030), (-0.04, 0.036), (0.03, 0.040), (0.10, 0.046), (0.145, 0.040), (0.17, 0.026)], zs
    )
    height = smooth_curve(
        [(-0.075, 0.072), (-0.02, 0.082), (0.03, 0.074), (0.08, 0.052), (0.13, 0.040), (0.17, 0.030)], zs
    )
    upper_path = centre + np.outer(height * 0.5 + 0.006, [0, 1, 0])
    geo = sweep(upper_path, width, height * 0.5, ref=(1, 0, 0), segs=14, exponent=2.6, cap_start=2, cap_end=3)
    geo = orient(geo, a + vec(0, -0.04, 0.06))
    sole_path = centre + vec(0, 0.0075, 0)
    sole = sweep(
        sole_path, width + 0.003, np.full(len(zs), 0.0075), ref=(1, 0, 0), segs=8, exponent=4.0, cap_start=2, cap_end=2
    )
    sole = orient(sole, a + vec(0, -0.07, 0.05))
    return [Part("shoe_L", "shoe", geo, leg_weights(geo.pos)), Part("sole_L", "sole", sole, leg_weights(sole.pos))]


def build_body() -> list[Part]:
    parts = [blazer(), shirt_front(), blazer_collar(), neck(), button(), pelvis()]
    parts += shirt_collar()
    parts += blazer_details()
    parts += badge()
    left = [lapel(), sleeve(), cuff(), hand(), trouser_leg(), *shoe()]
    for p in left:
        parts += [p, p.mirrored(p.name[:-2] + "_R")]
    return parts
