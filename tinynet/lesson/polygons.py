"""Convex polygons cut by straight lines: the geometry under ``linear_regions``.

A polygon is its vertices, a (k, 2) array in counter-clockwise order. A line
is where an affine function v(x) = x @ a + c is 0; its values at the vertices
say everything: vertices with v > 0 lie on one side, v < 0 on the other, and
an edge whose ends have opposite signs crosses the line at the point where v,
which is linear along the edge, is 0:

    p + t * (q - p),  t = v(p) / (v(p) - v(q))

A vertex with |v| <= TOL * (|x0 * a0| + |x1 * a1| + |c|) counts as on the
line: the size of the terms whose sum v is, at that vertex, is the scale of
v's rounding there. So a line that only grazes a polygon (through a vertex,
or within rounding of an edge) does not cut off a sliver that is not there,
while a line that clips a small corner near the origin of a polygon that
also reaches far out still cuts it: each vertex is judged by its own
rounding, not by the farthest vertex's (which made region counts shrink as
the box grew: 544 regions over [-1e4, 1e4]^2, 66 over [-1e12, 1e12]^2).
"""

import numpy as np

TOL = 1e-10


def polygon_area(vertices: np.ndarray) -> float:
    """The signed area (shoelace formula): positive for counter-clockwise vertices.

    area = sum over edges (x_i * y_(i+1) - x_(i+1) * y_i) / 2

    >>> polygon_area(np.array([[0.0, 0.0], [2.0, 0.0], [2.0, 1.0], [0.0, 1.0]]))
    2.0
    """
    x, y = vertices[:, 0], vertices[:, 1]
    return float(x @ np.roll(y, -1) - np.roll(x, -1) @ y) / 2


def cut_by_lines(polygons: list, A: np.ndarray, c: np.ndarray, max_parts: int):
    """Cut each polygon r along its own lines x @ A[r, :, j] + c[r, j] = 0: (parts, owner, side), or None.

    ``parts`` are convex and each lies on one side of every line of its
    polygon: ``owner[p]`` is the polygon part p came from and ``side[p, j]``
    is True where line j's function is > 0 on it. Only the lines that cross
    a polygon can cut it; each part is cut again by the later ones that cross
    it. None, before they are made, if there would be more than ``max_parts``.

    Shape: polygons: R arrays (k_r, 2); A (R, 2, m); c (R, m)
           -> parts: P arrays (k_p, 2); owner (P,) int; side (P, m) bool.
    """
    low, high, inside = _extremes(polygons, A, c)
    crossed = (high > 0) & (low < 0)  # (R, m): line j cuts polygon r
    side = np.einsum("ri,rij->rj", inside, A) + c > 0  # for a polygon left whole: the side of a point inside
    parts, owner, sides = [], [], []
    for r in range(len(polygons)):
        if not crossed[r].any():
            parts.append(polygons[r])
            owner.append(r)
            sides.append(side[r])
            continue
        lines = np.flatnonzero(crossed[r])
        room = max_parts - len(parts) - (len(polygons) - r - 1)  # the polygons after r keep one part each
        cut_parts = _cut_along(polygons[r], A[r][:, lines], c[r][lines], room)
        if cut_parts is None:
            return None
        parts += cut_parts
        owner += [r] * len(cut_parts)
        inside_parts = np.array([part.sum(axis=0) / len(part) for part in cut_parts])  # the vertices' mean
        sides += list(inside_parts @ A[r] + c[r] > 0)
    if len(parts) > max_parts:
        return None
    return parts, np.array(owner, dtype=np.intp), np.array(sides, dtype=bool).reshape(len(parts), c.shape[1])


def _cut_along(polygon, a, c, room: int):
    """Cut one polygon along every line x @ a[:, j] + c[j] = 0 that crosses it, depth first: the parts, or None
    if there would be more than ``room``."""
    done, todo = [], [(polygon, 0)]  # (a part, the first line that may still cut it)
    while todo:
        part, first = todo.pop()
        values = _snapped(part, a[:, first:], c[first:])  # (k, lines left)
        cutting = (values.max(axis=0) > 0) & (values.min(axis=0) < 0)
        if not cutting.any():
            done.append(part)
            continue
        j = int(np.argmax(cutting))
        positive, negative = cut(part, values[:, j], 0.0)
        todo += [(negative, first + j + 1), (positive, first + j + 1)]
        if len(done) + len(todo) > room:
            return None
    return done


def _extremes(polygons: list, A: np.ndarray, c: np.ndarray):
    """Per polygon r and line j: the least and greatest v at its vertices (within rounding of 0: 0), and
    (per polygon) a point inside, the mean of its vertices. Shapes (R, m), (R, m), (R, 2).

    Vertex s of every polygon that has one is taken together: a few passes
    over arrays of (polygons, lines), not one Python step per polygon.
    """
    sizes = np.array([len(p) for p in polygons])
    vertices = np.concatenate(polygons)  # (sum of k_r, 2)
    start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    low, high = np.full(c.shape, np.inf), np.full(c.shape, -np.inf)
    for s in range(sizes.max()):
        rows = np.flatnonzero(sizes > s)
        x = vertices[start[rows] + s]  # (rows, 2)
        a0, a1 = A[rows, 0], A[rows, 1]  # (rows, m)
        v = x[:, :1] * a0 + x[:, 1:] * a1 + c[rows]  # each line's function at vertex s
        size = np.abs(x[:, :1] * a0) + np.abs(x[:, 1:] * a1) + np.abs(c[rows])
        v[np.abs(v) <= TOL * size] = 0  # on the line, within this vertex's rounding
        low[rows], high[rows] = np.minimum(low[rows], v), np.maximum(high[rows], v)
    inside = np.add.reduceat(vertices, start, axis=0) / sizes[:, None]
    return low, high, inside


def _snapped(vertices: np.ndarray, a: np.ndarray, c: np.ndarray) -> np.ndarray:
    """v = vertices @ a + c, (k, lines), with each value within its own vertex's rounding of 0 set to 0."""
    values = vertices @ a + c
    values[np.abs(values) <= TOL * (np.abs(vertices) @ np.abs(a) + np.abs(c))] = 0
    return values


def cut(vertices: np.ndarray, values: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Split a convex polygon along v = 0, given v at its vertices: (the part v >= 0, the part v <= 0).

    Both parts keep the counter-clockwise order. Call it only where the line
    crosses (some v > tol and some v < -tol): then each part has at least
    three vertices.

    Shape: vertices (k, 2), values (k,) -> two arrays (k1, 2), (k2, 2), k1 + k2 <= k + 4.

    >>> square = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    >>> [part.tolist() for part in cut(square, square[:, 0] - 0.5, 1e-12)]  # the line x = 0.5
    [[[0.5, 0.0], [1.0, 0.0], [1.0, 1.0], [0.5, 1.0]], [[0.0, 0.0], [0.5, 0.0], [0.5, 1.0], [0.0, 1.0]]]
    """
    positive, negative = [], []
    k = len(vertices)
    for i in range(k):
        p, vp = vertices[i], values[i]
        q, vq = vertices[(i + 1) % k], values[(i + 1) % k]
        if vp >= -tol:
            positive.append(p)
        if vp <= tol:
            negative.append(p)
        point = _edge_crossing(p, q, vp, vq, tol)
        if point is not None:
            positive.append(point)
            negative.append(point)
    return np.array(positive), np.array(negative)


def zero_segment(vertices: np.ndarray, a: np.ndarray, c: float) -> np.ndarray | None:
    """Where x @ a + c = 0 inside a convex polygon, as a (2, 2) array of the segment's two ends, or None.

    A line that crosses a convex polygon meets it in one segment, whose ends
    lie on the boundary: each is a vertex on the line or the point where an
    edge crosses it. None when the line does not cross the polygon (it may
    still touch it at a vertex or along an edge: not a crossing).

    >>> square = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    >>> zero_segment(square, np.array([1.0, 1.0]), -1.0).tolist()  # the diagonal x + y = 1
    [[1.0, 0.0], [0.0, 1.0]]
    """
    values = _snapped(vertices, a[:, None], np.atleast_1d(c))[:, 0]
    tol = 0.0
    if not (values.max() > tol and values.min() < -tol):
        return None
    ends = []
    k = len(vertices)
    for i in range(k):
        p, vp = vertices[i], values[i]
        q, vq = vertices[(i + 1) % k], values[(i + 1) % k]
        point = p if abs(vp) <= tol else _edge_crossing(p, q, vp, vq, tol)
        if point is not None:
            ends.append(point)
    # a convex polygon gives two; should rounding give more, the two farthest apart are the ends
    ends = np.array(ends)
    apart = np.linalg.norm(ends[:, None] - ends[None, :], axis=2)
    i, j = np.unravel_index(np.argmax(apart), apart.shape)
    return ends[[min(i, j), max(i, j)]]


def _edge_crossing(p: np.ndarray, q: np.ndarray, vp: float, vq: float, tol: float) -> np.ndarray | None:
    """The point strictly inside the edge p -> q where v = 0, if v changes sign along it; else None."""
    if (vp > tol and vq < -tol) or (vp < -tol and vq > tol):
        return p + vp / (vp - vq) * (q - p)
    return None
