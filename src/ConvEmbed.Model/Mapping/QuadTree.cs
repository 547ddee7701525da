namespace ConvEmbed.Model.Mapping;

/// <summary>
/// The Barnes-Hut quadtree of t-SNE's map (van der Maaten 2014): each cell knows how many points it holds and their
/// centre of mass, so the repulsion of a far cell is one term instead of one per point. Flat arrays, rebuilt every
/// iteration. Points at the same position (or below <see cref="MaxDepth"/>) share a leaf as a linked list.
/// </summary>
public sealed class QuadTree
{
    public const int MaxDepth = 48;

    /// <summary>One cell, contiguous in memory: a traversal reads what it needs from one cache line.</summary>
    private struct Cell
    {
        public double CentreX, CentreY, Half, SumX, SumY;
        public int Count, FirstChild, FirstPoint;
    }

    private Cell[] cells;
    private int cellCount;
    private readonly int[] next;
    private readonly double[] positions;

    /// <param name="positions">Interleaved x, y of every point.</param>
    public QuadTree(double[] positions)
    {
        this.positions = positions;
        var n = positions.Length / 2;
        next = new int[n];
        cells = new Cell[Math.Max(16, 2 * n)];
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

    public int Nodes => cellCount;

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
            ref readonly var cell = ref cells[stack[--top]];
            var c = cell.Count;
            if (c == 0) continue;
            if (cell.FirstChild < 0)
            {
                for (var p = cell.FirstPoint; p >= 0; p = next[p])
                {
                    if (p == i) continue;
                    Add(x - positions[2 * p], y - positions[2 * p + 1], 1);
                }
                continue;
            }
            double dx = x - cell.SumX / c, dy = y - cell.SumY / c, d2 = dx * dx + dy * dy, width = 2 * cell.Half;
            if (width * width < theta2 * d2) Add(dx, dy, c);
            else
                for (var k = 0; k < 4; k++) stack[top++] = cell.FirstChild + k;
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
        if (cellCount == cells.Length) Array.Resize(ref cells, cells.Length * 2);
        cells[cellCount] = new Cell { CentreX = cx, CentreY = cy, Half = h, FirstChild = -1, FirstPoint = -1 };
        return cellCount++;
    }

    private void Insert(int i)
    {
        double x = positions[2 * i], y = positions[2 * i + 1];
        var node = 0;
        for (var depth = 0; ; depth++)
        {
            ref var cell = ref cells[node];
            cell.Count++; cell.SumX += x; cell.SumY += y;
            if (cell.FirstChild < 0)
            {
                var first = cell.FirstPoint;
                if (first < 0 || depth >= MaxDepth || (positions[2 * first] == x && positions[2 * first + 1] == y))
                {
                    next[i] = first;
                    cell.FirstPoint = i;
                    return;
                }
                Split(node, first); // may grow the array: cell is not used after this
            }
            node = Child(node, x, y);
        }
    }

    /// <summary>Makes a leaf a cell of four; its points (all at one position) move to the child that holds it.</summary>
    private void Split(int node, int points)
    {
        var (cx, cy, h) = (cells[node].CentreX, cells[node].CentreY, cells[node].Half / 2);
        var children = AddNode(cx - h, cy - h, h);
        AddNode(cx + h, cy - h, h);
        AddNode(cx - h, cy + h, h);
        AddNode(cx + h, cy + h, h);
        cells[node].FirstChild = children;
        cells[node].FirstPoint = -1;
        var child = Child(node, positions[2 * points], positions[2 * points + 1]);
        ref var target = ref cells[child];
        target.FirstPoint = points;
        for (var p = points; p >= 0; p = next[p])
        {
            target.Count++; target.SumX += positions[2 * p]; target.SumY += positions[2 * p + 1];
        }
    }

    private int Child(int node, double x, double y) =>
        cells[node].FirstChild + (x >= cells[node].CentreX ? 1 : 0) + (y >= cells[node].CentreY ? 2 : 0);
}
