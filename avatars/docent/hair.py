"""The Docent's hair and ears.

The hair is a shell over the skull (its edge rolls under into the skin at the hairline, with a thick rounded lip
where a fringe is swept across the forehead from a side parting) with sculpted locks laid on it. Hair and ears
never change shape, so they live in the Body mesh, skinned to the head.
"""

from __future__ import annotations

import numpy as np
from face import HC, head_sdf
from rig import Part, rigid
from shapes import Array, Geo, ellipsoid, grid, march_in, merge, orient, rotation, smooth_curve, smoothstep, sweep, vec


def ear_parts() -> list[Part]:
    """Ears: a thin shell with the helix rolled round its top and back, the antihelix ridge, lobe and tragus."""
    y0, z0 = -0.016, -0.014
    x_skin = 0.17 - float(march_in(head_sdf, HC + vec(0.17, y0, z0), np.array([[-1.0, 0, 0]]), 0.17)[0])
    centre = HC + vec(x_skin + 0.0035, y0, z0)
    normal = np.array([1.0, 0.0, 0.50])
    normal /= np.linalg.norm(normal)
    up = rotation(normal, np.radians(-12.0)) @ [0.0, 1.0, 0.0]
    up -= normal * (up @ normal)
    up /= np.linalg.norm(up)
    fwd = np.cross(normal, up)  # in the ear's plane, towards the face

    def at(a: float, u: float, n: float) -> Array:
        return centre + fwd * a + up * u + normal * n

    def blob(c: Array, radii: tuple[float, float, float], lat: int, segs: int) -> Geo:
        g = ellipsoid((0, 0, 0), radii, lat, segs)  # x = along fwd, y = up, z = along the normal
        return orient(Geo(c + g.pos @ np.stack([fwd, up, normal]), g.faces), c - normal * 0.004)

    def arc(c: Array, rx: float, ry: float, a0: float, a1: float, n: int, r: float) -> Geo:
        ang = np.radians(np.linspace(a0, a1, n))
        path = c + np.outer(np.cos(ang) * rx, fwd) + np.outer(np.sin(ang) * ry, up)
        rr = r * (0.45 + 0.55 * np.sin(np.linspace(0.0, np.pi, n)) ** 0.5)
        return orient(sweep(path, rr * 0.8, rr, ref=normal, segs=6, cap_start=1, cap_end=1), c - normal * 0.004)

    pieces = [
        blob(at(-0.001, 0.001, 0.0), (0.0125, 0.0235, 0.0040), 6, 12),  # the shell
        arc(at(-0.002, 0.002, 0.0024), 0.0122, 0.0225, 70.0, 262.0, 12, 0.0027),  # helix
        arc(at(-0.0045, 0.004, 0.0030), 0.0060, 0.0125, 75.0, 235.0, 7, 0.0017),  # antihelix
        blob(at(-0.002, -0.0205, 0.0006), (0.0068, 0.0072, 0.0036), 4, 8),  # lobe
        blob(at(0.0095, -0.005, 0.0010), (0.0030, 0.0042, 0.0030), 3, 6),  # tragus
    ]
    geo = merge(pieces)
    part = Part("ear_L", "skin", geo, rigid(geo.n, "head"))
    return [part, part.mirrored("ear_R")]


PART_X = 0.30  # the parting, on the guide's left, as the x of a unit direction from the head centre


def _hairline(phi: Array) -> Array:
    """Elevation (degrees, from the head centre) of the hairline at azimuth phi (degrees, 0 = front, + = left).

    On the guide's right the line is the edge of a fringe swept across the forehead from the parting."""
    keys = [
        (-180, -40.0),
        (-145, -32.0),
        (-122, -12.0),
        (-108, 12.0),
        (-95, 16.0),
        (-84, 6.0),
        (-72, 10.0),
        (-58, 18.0),
        (-44, 22.0),
        (-28, 26.0),
        (-12, 30.0),
        (2, 33.0),
        (14, 38.0),
        (26, 41.0),
        (42, 36.0),
        (60, 27.0),
        (72, 7.0),
        (84, 5.0),
        (96, 16.0),
        (108, 12.0),
        (122, -12.0),
        (145, -32.0),
        (180, -40.0),
    ]
    return smooth_curve(keys, phi)


def under_hair(pos: Array) -> Array:
    """True for world points well inside the hairline (skin there is never seen)."""
    q = pos - HC
    theta = np.degrees(np.arcsin(np.clip(q[:, 1] / np.linalg.norm(q, axis=1), -1, 1)))
    return np.asarray(theta > _hairline(np.degrees(np.arctan2(q[:, 0], q[:, 2]))) + 8.0)


def _fringe(phi: Array) -> Array:
    """How much of a thick, rounded fringe edge the hair has at azimuth phi (1 across the swept fringe)."""
    return smoothstep(-78.0, -60.0, phi) * smoothstep(22.0, 8.0, phi)


def _hair_thickness(d: Array) -> Array:
    x, y, z = d[..., 0], d[..., 1], d[..., 2]
    t = 0.0085 + 0.0045 * smoothstep(0.2, 0.9, y) + 0.0015 * smoothstep(0.0, -0.6, z)
    # volume swept from the parting (on the guide's left) over to the right, and a soft front
    big_side = smoothstep(PART_X + 0.02, PART_X - 0.10, x)
    t += 0.0055 * big_side * smoothstep(0.35, 0.75, y) * smoothstep(-0.5, 0.3, z)
    t += 0.0035 * smoothstep(0.1, 0.6, z) * smoothstep(0.3, 0.75, y) * big_side
    groove = np.exp(-(((x - PART_X) / 0.035) ** 2)) * smoothstep(0.45, 0.7, y) * smoothstep(-0.6, -0.2, z)
    t -= 0.0042 * groove
    t -= 0.0025 * smoothstep(0.2, 0.0, y) * smoothstep(0.55, 0.85, np.abs(x))  # tidy over the ears
    return t


HAIR_LOCKS = [
    # (azimuth, elevation) control points in degrees, from the parting outwards; width; thickness
    ([(36, 61), (26, 54), (14, 47), (2, 40), (-6, 35)], 0.022, 0.0045),
    ([(39, 65), (25, 59), (5, 51), (-15, 40), (-27, 31)], 0.026, 0.0050),
    ([(43, 69), (25, 66), (-5, 57), (-34, 42), (-48, 26)], 0.028, 0.0055),
    ([(47, 72), (20, 72), (-20, 63), (-55, 46), (-68, 20)], 0.030, 0.0055),
    ([(52, 75), (10, 79), (-45, 71), (-84, 50), (-95, 26)], 0.032, 0.0055),
    ([(58, 78), (-30, 84), (-118, 66), (-128, 40)], 0.034, 0.0055),
    ([(40, 59), (50, 52), (60, 42), (68, 31)], 0.020, 0.0045),
    ([(50, 67), (65, 60), (78, 46), (88, 31)], 0.024, 0.0050),
    ([(60, 74), (85, 66), (102, 50), (112, 32)], 0.026, 0.0050),
    ([(72, 79), (140, 70), (160, 40), (165, 8)], 0.036, 0.0055),
    ([(64, 81), (180, 72), (185, 40), (180, 2)], 0.036, 0.0055),
    ([(-40, 83), (-140, 70), (-160, 40), (-165, 8)], 0.036, 0.0055),
]


def _shell_point(phi: Array, theta: Array, lift: Array) -> tuple[Array, Array]:
    """Point ``lift`` above the hair shell (no edge rounding) at the given angles, and the radial direction."""
    th, ph = np.radians(theta), np.radians(phi)
    d = np.stack([np.cos(th) * np.sin(ph), np.sin(th), np.cos(th) * np.cos(ph)], -1)
    r = 0.2 - march_in(head_sdf, HC + d * 0.2, -d, 0.2, 8e-4)
    return HC + d * (r + _hair_thickness(d) + lift)[..., None], d


def hair_locks() -> Part:
    """Sculpted locks lying on the hair, swept from the parting: they give the cut its shape and shine."""
    geos = []
    for keys, width, thick in HAIR_LOCKS:
        k = np.array(keys, dtype=float)
        t = np.linspace(0, 1, len(k))
        u = np.linspace(0, 1, 10)
        phi = smooth_curve(list(zip(t, k[:, 0], strict=True)), u)
        theta = smooth_curve(list(zip(t, k[:, 1], strict=True)), u)
        prof = np.sin(np.pi * np.clip(0.08 + 0.90 * u, 0, 1)) ** 0.7 * (1.0 - 0.5 * u)
        half_w = 0.5 * width * (0.35 + 0.65 * prof)
        half_h = 0.5 * thick * (0.3 + 0.7 * prof)
        path, d = _shell_point(phi, theta, 0.1 * thick * prof - 0.0015)
        g = sweep(path, half_h, half_w, ref=d, segs=7, exponent=2.2, cap_start=1, cap_end=2, cap_scale=1.0)
        geos.append(orient(g, HC))
    geo = merge(geos)
    return Part("hair_locks", "hair", geo, rigid(geo.n, "head"))


def hair_part() -> Part:
    cols = 56
    ang = np.linspace(-np.pi, np.pi, cols, endpoint=False)
    ang = ang - 0.45 * np.sin(ang)
    phi = np.degrees(ang)
    line = _hairline(phi)
    fringe = _fringe(phi)
    edge = 0.0008 + 0.0040 * fringe  # thickness at the edge (a rounded lip on the fringe)
    a_round = np.degrees(edge / 0.095) * 1.3
    rows_a = [np.full(cols, -1.6), np.zeros(cols)]
    rows_a += [a_round * k for k in (0.12, 0.35, 0.65, 1.0)]
    rows_a += [a_round + k for k in (2.0, 4.5, 8.0)]
    top = line + rows_a[-1]
    rows = [line + a for a in rows_a]
    rows += [top + (89.0 - top) * (u**1.1) for u in np.linspace(0, 1, 10)[1:]]
    th = np.radians(np.stack(rows))
    ph = ang[None]
    d = np.stack([np.cos(th) * np.sin(ph), np.sin(th), np.cos(th) * np.cos(ph)], -1)
    r_skin = 0.2 - march_in(head_sdf, HC + d * 0.2, -d, 0.2, 8e-4)
    a = np.degrees(th) - line[None]
    u = np.clip(a / a_round[None], 0.0, 1.0)
    lip = -0.002 + (edge[None] + 0.002) * np.sqrt(1.0 - (1.0 - u) ** 2)
    t = np.where(a <= 0, -0.002, lip)
    t = t + (_hair_thickness(d) - edge[None]) * smoothstep(0.0, 9.0, a - a_round[None]) ** 0.8
    rings = HC + d * (r_skin + t)[..., None]
    top_d = np.array([0.0, 1.0, 0.0])
    r_top = 0.2 - float(march_in(head_sdf, HC + top_d * 0.2, -top_d[None], 0.2, 8e-4)[0])
    crown = HC + top_d * (r_top + float(_hair_thickness(top_d)))
    geo = orient(grid(rings, None, crown), HC)
    return Part("hair", "hair", geo, rigid(geo.n, "head"))
