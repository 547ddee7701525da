namespace ConvEmbed.Model.Mapping;

/// <summary>
/// The Barnes-Hut quadtree of t-SNE's map (van der Maaten 2014): each cell knows how many points it holds and their
/// centre of mass, so the repulsion of a far cell is one term instead of one per point. Flat arrays, rebuilt every
/// iteration. Points at the same position (or below <see cref="MaxDepth"/>) share a leaf as a linked list.
/// </summary>
public sealed class QuadTree
{
    public const int MaxDepth = 48;

    private readonly List<double> centreX = [], centreY = [], half = [], sumX = [], sumY = [];
    private readonly List<int> count = [], firstChild = [], firstPoint = [];
    private readonly int[] next;
    private readonly double[] positions;

    /// <param name="positions">Interleaved x, y of every point.</param>
    public QuadTree(double[] positions)
    {
        this.positions = positions;
        var n = positions.Length / 2;
        next = new int[n];
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        for (var i = 0; i < n; i++)
        {
            minX = Math.Min(minX, positions[2 * i]); maxX = Math.Max(maxX, positions[2 * i]);
            minY = Math.Min(minY, positions[2 * i + 1]); maxY = Math.Max(maxY, positions[2 * i + 1]);
        }
        var size = n == 0 ? 1 : Math.Max(maxX - minX, maxY - minY);
        AddNode((minX + maxX) / 2, (minY + maxY) / 2, size / 2 * (1 + 1e-9) + 1e-12);
        for (var i = 0; i < n; i++) Insert(i);
    }

    public int Nodes => count.Count;

    /// <summary>
    /// Σ_{j≠i} q_ij·(y_i − y_j)·q_ij and Σ_{j≠i} q_ij with q_ij = 1/(1 + ‖y_i − y_j‖²), cells summarised where
    /// width² &lt; θ²·d² (θ = 0 visits every point).
    /// </summary>
    public (double Fx, double Fy, double Z) Repulsion(int i, double theta)
    {
        double x = positions[2 * i], y = positions[2 * i + 1], fx = 0, fy = 0, z = 0;
        var theta2 = theta * theta;
        Span<int> stack = stackalloc int[4 * MaxDepth + 8];
        var top = 0;
        stack[top++] = 0;
        while (top > 0)
        {
            var node = stack[--top];
            var c = count[node];
            if (c == 0) continue;
            if (firstChild[node] < 0)
            {
                for (var p = firstPoint[node]; p >= 0; p = next[p])
                {
                    if (p == i) continue;
                    Add(x - positions[2 * p], y - positions[2 * p + 1], 1);
                }
                continue;
            }
            double dx = x - sumX[node] / c, dy = y - sumY[node] / c, d2 = dx * dx + dy * dy, width = 2 * half[node];
            if (width * width < theta2 * d2) Add(dx, dy, c);
            else
                for (var k = 0; k < 4; k++) stack[top++] = firstChild[node] + k;
        }
        return (fx, fy, z);

        void Add(double dx, double dy, int weight)
        {
            var q = 1 / (1 + dx * dx + dy * dy);
            z += weight * q;
            fx += weight * q * q * dx;
            fy += weight * q * q * dy;
        }
    }

    private int AddNode(double cx, double cy, double h)
    {
        centreX.Add(cx); centreY.Add(cy); half.Add(h);
        sumX.Add(0); sumY.Add(0); count.Add(0); firstChild.Add(-1); firstPoint.Add(-1);
        return count.Count - 1;
    }

    private void Insert(int i)
    {
        double x = positions[2 * i], y = positions[2 * i + 1];
        var node = 0;
        for (var depth = 0; ; depth++)
        {
            count[node]++; sumX[node] += x; sumY[node] += y;
            if (firstChild[node] < 0)
            {
                var first = firstPoint[node];
                if (first < 0 || depth >= MaxDepth || (positions[2 * first] == x && positions[2 * first + 1] == y))
                {
                    next[i] = first;
                    firstPoint[node] = i;
                    return;
                }
                Split(node, first);
            }
            node = Child(node, x, y);
        }
    }

    /// <summary>Makes a leaf a cell of four; its points (all at one position) move to the child that holds it.</summary>
    private void Split(int node, int points)
    {
        var h = half[node] / 2;
        var children = AddNode(centreX[node] - h, centreY[node] - h, h);
        AddNode(centreX[node] + h, centreY[node] - h, h);
        AddNode(centreX[node] - h, centreY[node] + h, h);
        AddNode(centreX[node] + h, centreY[node] + h, h);
        firstChild[node] = children;
        firstPoint[node] = -1;
        var child = Child(node, positions[2 * points], positions[2 * points + 1]);
        firstPoint[child] = points;
        for (var p = points; p >= 0; p = next[p])
        {
            count[child]++; sumX[child] += positions[2 * p]; sumY[child] += positions[2 * p + 1];
        }
    }

    private int Child(int node, double x, double y) =>
        firstChild[node] + (x >= centreX[node] ? 1 : 0) + (y >= centreY[node] ? 2 : 0);
}
