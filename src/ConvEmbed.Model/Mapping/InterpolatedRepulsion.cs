namespace ConvEmbed.Model.Mapping;

/// <summary>
/// t-SNE's repulsion in O(N) per iteration by polynomial interpolation on a grid and one FFT convolution (the idea
/// of FIt-SNE, Linderman et al. 2019). With the kernel k(y_i, y_j) = w_ij² = 1/(1 + ‖y_i − y_j‖²)², every sum the
/// gradient needs is a kernel sum over four charges per point, 1, x_j, y_j and ‖y_j‖²:
/// <code>
/// φ_c(i) = Σ_j k(y_i, y_j)·c_j
/// Σ_j w_ij²·(y_i − y_j) = y_i·φ_1(i) − (φ_x(i), φ_y(i))                       (the self term cancels)
/// Σ_j w_ij             = (1 + ‖y_i‖²)·φ_1(i) − 2·y_i·(φ_x(i), φ_y(i)) + φ_‖‖²(i)   (w = k·(1 + ‖y_i − y_j‖²); minus 1 for j = i)
/// </code>
/// The map's bounding box is cut into B × B boxes with <see cref="NodesPerBox"/> equispaced nodes per box and axis,
/// so all nodes lie on one uniform grid. Each point's charges are spread to the 3 × 3 nodes of its box with Lagrange
/// weights, the grid of charges is convolved with the kernel sampled at node offsets (a Toeplitz product, done as a
/// circular convolution by FFT on an L × L grid, L a power of two ≥ 2·nodes − 1), and the potentials are interpolated
/// back with the same weights. B is at least <see cref="MinBoxes"/> and at least one box per unit of map (the kernel
/// varies on that scale: a box a unit wide gives about 1 % error, a narrower one much less), then raised to fill L.
/// Beyond <see cref="MaxSide"/> boxes get wider instead (less exact, never more memory: 6 grids of L² doubles, 200 MB at
/// 2048). Buffers are kept between iterations.
/// </summary>
public sealed class InterpolatedRepulsion
{
    public const int NodesPerBox = 3;
    public const int MinBoxes = 20;
    /// <summary>The largest FFT side: beyond it the boxes get wider than a unit (less exact, never larger).</summary>
    public const int MaxSide = 2048;

    private Fft2D? fft;
    private double[] kernelRe = [], kernelIm = [], gridA = [], gridB = [], gridC = [], gridD = [];
    private double[] weights = [], zParts = [];
    private int[] first = [];

    /// <summary>The side of the last iteration's FFT grid (for benchmarks and tests).</summary>
    public int Side => fft?.Side ?? 0;

    /// <summary>
    /// Writes Σ_j w_ij²·(y_i − y_j) into <paramref name="repulsion"/> (interleaved) and returns Z = Σ_{i≠j} w_ij.
    /// </summary>
    public double Compute(double[] y, double[] repulsion)
    {
        var n = y.Length / 2;
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        for (var i = 0; i < n; i++)
        {
            minX = Math.Min(minX, y[2 * i]); maxX = Math.Max(maxX, y[2 * i]);
            minY = Math.Min(minY, y[2 * i + 1]); maxY = Math.Max(maxY, y[2 * i + 1]);
        }
        // One square box grid over the points, a hair larger so the largest coordinate falls inside the last box.
        var extent = Math.Max(Math.Max(maxX - minX, maxY - minY), 1e-12) * (1 + 1e-9);
        var boxes = (int)Math.Min(Math.Max(MinBoxes, Math.Ceiling(extent)), (MaxSide + 1) / (2 * NodesPerBox));
        var side = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(2 * boxes * NodesPerBox - 1));
        boxes = (side + 1) / (2 * NodesPerBox);
        var nodes = boxes * NodesPerBox;
        var box = extent / boxes;
        var spacing = box / NodesPerBox;
        Prepare(side);

        // Lagrange weights of each point's three nodes per axis, and the index of its box's first node.
        if (first.Length != n) (weights, first, zParts) = (new double[6 * n], new int[n], new double[n]);
        Parallel.For(0, n, i =>
        {
            var (bx, wx0, wx1, wx2) = Locate((y[2 * i] - minX) / box, boxes);
            var (by, wy0, wy1, wy2) = Locate((y[2 * i + 1] - minY) / box, boxes);
            first[i] = by * NodesPerBox * side + bx * NodesPerBox;
            weights[6 * i] = wx0; weights[6 * i + 1] = wx1; weights[6 * i + 2] = wx2;
            weights[6 * i + 3] = wy0; weights[6 * i + 4] = wy1; weights[6 * i + 5] = wy2;
        });

        // Charges (relative to the box corner, which keeps ‖y‖² small): A + iB = 1 + i·x, C + iD = y + i·‖y‖².
        Array.Clear(gridA); Array.Clear(gridB); Array.Clear(gridC); Array.Clear(gridD);
        for (var i = 0; i < n; i++)
        {
            double x = y[2 * i] - minX, v = y[2 * i + 1] - minY, r2 = x * x + v * v;
            for (var ky = 0; ky < NodesPerBox; ky++)
            {
                var wy = weights[6 * i + 3 + ky];
                var row = first[i] + ky * side;
                for (var kx = 0; kx < NodesPerBox; kx++)
                {
                    var w = wy * weights[6 * i + kx];
                    gridA[row + kx] += w;
                    gridB[row + kx] += w * x;
                    gridC[row + kx] += w * v;
                    gridD[row + kx] += w * r2;
                }
            }
        }

        // The kernel at every node offset (−(nodes − 1) … nodes − 1 per axis), wrapped around the L × L grid.
        Array.Clear(kernelRe); Array.Clear(kernelIm);
        Parallel.For(-(nodes - 1), nodes, dy =>
        {
            var row = (dy + side) % side * side;
            for (var dx = -(nodes - 1); dx < nodes; dx++)
            {
                double ox = dx * spacing, oy = dy * spacing, w = 1 / (1 + ox * ox + oy * oy);
                kernelRe[row + (dx + side) % side] = w * w;
            }
        });
        fft!.Forward(kernelRe, kernelIm);
        // The kernel is real and even, so its transform is real: multiplying a packed pair of real charge grids by it
        // convolves both at once.
        fft.Forward(gridA, gridB, rows: nodes);
        fft.Forward(gridC, gridD, rows: nodes);
        Parallel.For(0, side, row =>
        {
            for (var c = row * side; c < (row + 1) * side; c++)
            {
                var k = kernelRe[c];
                gridA[c] *= k; gridB[c] *= k; gridC[c] *= k; gridD[c] *= k;
            }
        });
        fft.Inverse(gridA, gridB, rows: nodes);
        fft.Inverse(gridC, gridD, rows: nodes);

        Parallel.For(0, n, i =>
        {
            double p1 = 0, px = 0, py = 0, p2 = 0;
            for (var ky = 0; ky < NodesPerBox; ky++)
            {
                var wy = weights[6 * i + 3 + ky];
                var row = first[i] + ky * side;
                for (var kx = 0; kx < NodesPerBox; kx++)
                {
                    var w = wy * weights[6 * i + kx];
                    p1 += w * gridA[row + kx];
                    px += w * gridB[row + kx];
                    py += w * gridC[row + kx];
                    p2 += w * gridD[row + kx];
                }
            }
            double x = y[2 * i] - minX, v = y[2 * i + 1] - minY;
            repulsion[2 * i] = x * p1 - px;
            repulsion[2 * i + 1] = v * p1 - py;
            zParts[i] = (1 + x * x + v * v) * p1 - 2 * (x * px + v * py) + p2 - 1;
        });
        return zParts.Sum();
    }

    /// <summary>The box of a coordinate (in box units) and the Lagrange weights of its nodes at (k + ½) / 3, k = 0, 1, 2.</summary>
    private static (int Box, double W0, double W1, double W2) Locate(double u, int boxes)
    {
        var b = Math.Clamp((int)Math.Floor(u), 0, boxes - 1);
        var t = u - b;
        const double t0 = 1.0 / 6, t1 = 3.0 / 6, t2 = 5.0 / 6, s = 1.0 / 3; // node spacing s within a box
        return (b,
            (t - t1) * (t - t2) / (2 * s * s),
            -(t - t0) * (t - t2) / (s * s),
            (t - t0) * (t - t1) / (2 * s * s));
    }

    private void Prepare(int side)
    {
        if (fft?.Side == side) return;
        fft = new Fft2D(side);
        var cells = side * side;
        kernelRe = new double[cells]; kernelIm = new double[cells];
        gridA = new double[cells]; gridB = new double[cells]; gridC = new double[cells]; gridD = new double[cells];
    }
}
