using System.Numerics;

namespace ConvEmbed.Model.Mapping;

/// <summary>
/// A square two-dimensional discrete Fourier transform of side L (a power of two), radix 2, real and imaginary parts
/// in separate row-major arrays. The transform along each row runs row by row; the one along the columns treats whole
/// row segments as vectors (every butterfly of that pass combines two rows with one twiddle factor), in strips of
/// columns that fit in cache, so there is no transpose. Twiddle factors are stored per stage, contiguously, so the
/// butterflies along a row are vectorised too. Rows known to be zero on input (forward) or not needed on output
/// (inverse) are skipped. The inverse divides by L², so Inverse(Forward(x)) = x.
/// </summary>
public sealed class Fft2D
{
    private readonly double[] cos;
    private readonly double[] sin;
    private readonly int[] reversed;

    public Fft2D(int side)
    {
        if (side < 2 || (side & (side - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(side), $"side must be a power of two ≥ 2 (was {side})");
        Side = side;
        // Stage with half-size h (1, 2, 4, …, L/2) keeps its factors e^{−2πik/2h}, k < h, at [h − 1, 2h − 1).
        cos = new double[side];
        sin = new double[side];
        for (var h = 1; h < side; h <<= 1)
            for (var k = 0; k < h; k++)
            {
                cos[h - 1 + k] = Math.Cos(Math.PI * k / h);
                sin[h - 1 + k] = -Math.Sin(Math.PI * k / h);
            }
        reversed = new int[side];
        var bits = BitOperations.Log2((uint)side);
        for (var i = 0; i < side; i++)
        {
            var r = 0;
            for (var b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
            reversed[i] = r;
        }
    }

    public int Side { get; }

    /// <summary>Columns per strip of the column pass: a strip of real and imaginary parts stays within ~512 KB.</summary>
    private int Strip => Math.Min(Side, Math.Clamp(32768 / Side, 8, 64));

    /// <summary>The forward transform in place; rows [rows, L) must be zero on input (they are skipped along the rows).</summary>
    public void Forward(double[] re, double[] im, int? rows = null)
    {
        Check(re, im);
        var used = rows ?? Side;
        Parallel.For(0, used, row => AlongRow(re, im, row * Side, inverse: false));
        Parallel.For(0, Side / Strip, strip => AlongColumns(re, im, strip, inverse: false));
    }

    /// <summary>The inverse transform in place; only rows [0, rows) of the result are computed, the others are left half-done.</summary>
    public void Inverse(double[] re, double[] im, int? rows = null)
    {
        Check(re, im);
        var used = rows ?? Side;
        Parallel.For(0, Side / Strip, strip => AlongColumns(re, im, strip, inverse: true));
        var scale = 1.0 / ((double)Side * Side);
        Parallel.For(0, used, row =>
        {
            AlongRow(re, im, row * Side, inverse: true);
            var r = re.AsSpan(row * Side, Side);
            var m = im.AsSpan(row * Side, Side);
            for (var c = 0; c < Side; c++) { r[c] *= scale; m[c] *= scale; }
        });
    }

    private void Check(double[] re, double[] im)
    {
        if (re.Length != Side * Side || im.Length != Side * Side) throw new ArgumentException($"the arrays must hold {Side}×{Side} values");
    }

    /// <summary>One row in place: bit-reversal permutation, then log₂ L butterfly stages (vectorised from half-size 4).</summary>
    private void AlongRow(double[] re, double[] im, int offset, bool inverse)
    {
        var n = Side;
        var r = re.AsSpan(offset, n);
        var m = im.AsSpan(offset, n);
        for (var i = 0; i < n; i++)
        {
            var j = reversed[i];
            if (j <= i) continue;
            (r[i], r[j]) = (r[j], r[i]);
            (m[i], m[j]) = (m[j], m[i]);
        }
        var sign = inverse ? -1.0 : 1.0;
        var width = Vector<double>.Count;
        for (var half = 1; half < n; half <<= 1)
        {
            var wc = cos.AsSpan(half - 1, half);
            var ws = sin.AsSpan(half - 1, half);
            for (var start = 0; start < n; start += 2 * half)
            {
                var k = 0;
                if (half >= width)
                {
                    var s = new Vector<double>(sign);
                    for (; k <= half - width; k += width)
                    {
                        int a = start + k, b = a + half;
                        Butterfly(new Vector<double>(wc[k..]), s * new Vector<double>(ws[k..]), r[a..], m[a..], r[b..], m[b..]);
                    }
                }
                for (; k < half; k++)
                {
                    double wr = wc[k], wi = sign * ws[k];
                    int a = start + k, b = a + half;
                    double tr = wr * r[b] - wi * m[b], ti = wr * m[b] + wi * r[b];
                    r[b] = r[a] - tr; m[b] = m[a] - ti;
                    r[a] += tr; m[a] += ti;
                }
            }
        }
    }

    /// <summary>
    /// The transform along the columns of one strip of columns: rows are swapped into bit-reversed order and combined
    /// pairwise, each butterfly one twiddle factor times a segment of Strip values.
    /// </summary>
    private void AlongColumns(double[] re, double[] im, int strip, bool inverse)
    {
        var n = Side;
        var columns = Strip;
        var c0 = strip * columns;
        for (var i = 0; i < n; i++)
        {
            var j = reversed[i];
            if (j <= i) continue;
            Swap(re.AsSpan(i * n + c0, columns), re.AsSpan(j * n + c0, columns));
            Swap(im.AsSpan(i * n + c0, columns), im.AsSpan(j * n + c0, columns));
        }
        var sign = inverse ? -1.0 : 1.0;
        var width = Vector<double>.Count;
        for (var half = 1; half < n; half <<= 1)
            for (var start = 0; start < n; start += 2 * half)
                for (var k = 0; k < half; k++)
                {
                    double wr = cos[half - 1 + k], wi = sign * sin[half - 1 + k];
                    var ar = re.AsSpan((start + k) * n + c0, columns);
                    var ai = im.AsSpan((start + k) * n + c0, columns);
                    var br = re.AsSpan((start + k + half) * n + c0, columns);
                    var bi = im.AsSpan((start + k + half) * n + c0, columns);
                    var c = 0;
                    if (columns >= width)
                    {
                        var vwr = new Vector<double>(wr);
                        var vwi = new Vector<double>(wi);
                        for (; c <= columns - width; c += width) Butterfly(vwr, vwi, ar[c..], ai[c..], br[c..], bi[c..]);
                    }
                    for (; c < columns; c++)
                    {
                        double tr = wr * br[c] - wi * bi[c], ti = wr * bi[c] + wi * br[c];
                        br[c] = ar[c] - tr; bi[c] = ai[c] - ti;
                        ar[c] += tr; ai[c] += ti;
                    }
                }
    }

    /// <summary>Vector&lt;double&gt;.Count butterflies at once: (a, b) ← (a + w·b, a − w·b), complex, w = wr + i·wi.</summary>
    private static void Butterfly(Vector<double> wr, Vector<double> wi, Span<double> ar, Span<double> ai, Span<double> br, Span<double> bi)
    {
        var (vbr, vbi, var_, vai) = (new Vector<double>(br), new Vector<double>(bi), new Vector<double>(ar), new Vector<double>(ai));
        var tr = wr * vbr - wi * vbi;
        var ti = wr * vbi + wi * vbr;
        (var_ - tr).CopyTo(br);
        (vai - ti).CopyTo(bi);
        (var_ + tr).CopyTo(ar);
        (vai + ti).CopyTo(ai);
    }

    private static void Swap(Span<double> a, Span<double> b)
    {
        for (var c = 0; c < a.Length; c++) (a[c], b[c]) = (b[c], a[c]);
    }
}
