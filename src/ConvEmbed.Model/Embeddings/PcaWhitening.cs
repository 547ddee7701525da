namespace ConvEmbed.Model.Embeddings;

/// <summary>
/// PCA whitening of embeddings (docs/method.md#whitening), fitted once on a fixed set (a model's training pool) and
/// then applied unchanged to every vector, so a service's vectors do not move when tracks arrive:
/// <code>w(x) = Λ^(−1/2) · Vᵀ · (x − μ)</code>
/// with μ the set's mean and V, Λ the eigenvectors and eigenvalues of its covariance (largest first). Each eigenvalue
/// gets <c>shrinkage × the mean eigenvalue</c> added before the inverse square root: 0 is full whitening, which on a set
/// smaller than the dimension turns the directions it barely spans into noise as loud as the rest; 1 damps the largest
/// directions and leaves the small ones near their scale. A floor of <see cref="Floor"/> × the largest keeps
/// directions the set does not span at all finite. Vectors are ℓ2-normalised before (as every ConvEmbed vector is) —
/// the result is not; callers normalise it for cosine.
/// </summary>
public sealed class PcaWhitening
{
    public const double Floor = 1e-4;

    private PcaWhitening(float[] mean, float[][] components, double[] eigenvalues) =>
        (Mean, Components, Eigenvalues) = (mean, components, eigenvalues);

    public float[] Mean { get; }
    /// <summary>Unit eigenvectors of the covariance, largest eigenvalue first.</summary>
    public float[][] Components { get; }
    public double[] Eigenvalues { get; }
    public int Dimension => Mean.Length;

    public static PcaWhitening Fit(IReadOnlyList<float[]> vectors, double shrinkage = 0)
    {
        if (!(shrinkage >= 0)) throw new ArgumentOutOfRangeException(nameof(shrinkage), shrinkage, "shrinkage must be 0 or more");
        if (vectors.Count < 2) throw new ArgumentException("whitening needs at least two vectors to fit");
        var d = vectors[0].Length;
        if (vectors.Any(v => v.Length != d)) throw new ArgumentException("vectors differ in length");
        var mean = new double[d];
        foreach (var v in vectors)
            for (var i = 0; i < d; i++) mean[i] += v[i];
        for (var i = 0; i < d; i++) mean[i] /= vectors.Count;
        var covariance = new double[d, d];
        var centred = new double[d];
        foreach (var v in vectors)
        {
            for (var i = 0; i < d; i++) centred[i] = v[i] - mean[i];
            for (var i = 0; i < d; i++)
                for (var j = i; j < d; j++) covariance[i, j] += centred[i] * centred[j];
        }
        for (var i = 0; i < d; i++)
            for (var j = i; j < d; j++) covariance[j, i] = covariance[i, j] /= vectors.Count - 1;

        var (values, vectorsByColumn) = SymmetricEigen(covariance);
        var order = Enumerable.Range(0, d).OrderByDescending(i => values[i]).ToArray();
        var components = order.Select(c => Enumerable.Range(0, d).Select(i => (float)vectorsByColumn[i, c]).ToArray()).ToArray();
        var largest = Math.Max(values[order[0]], 1e-30);
        var added = shrinkage * values.Select(v => Math.Max(v, 0)).Average();
        var eigenvalues = order.Select(c => Math.Max(values[c], Floor * largest) + added).ToArray();
        return new PcaWhitening(mean.Select(m => (float)m).ToArray(), components, eigenvalues);
    }

    /// <summary>Restores a fitted whitening from what <see cref="Mean"/>, <see cref="Components"/> and <see cref="Eigenvalues"/> hold.</summary>
    public static PcaWhitening From(float[] mean, float[][] components, double[] eigenvalues)
    {
        if (components.Length != mean.Length || eigenvalues.Length != mean.Length || components.Any(c => c.Length != mean.Length))
            throw new ArgumentException($"a whitening of {mean.Length} dimensions needs {mean.Length} components and eigenvalues of that length");
        if (eigenvalues.Any(e => !(e > 0))) throw new ArgumentException("eigenvalues must be positive");
        return new PcaWhitening(mean, components, eigenvalues);
    }

    public float[] Apply(ReadOnlySpan<float> x)
    {
        if (x.Length != Dimension) throw new ArgumentException($"the whitening takes {Dimension} values, got {x.Length}");
        var centred = new float[Dimension];
        System.Numerics.Tensors.TensorPrimitives.Subtract(x, Mean, centred);
        var result = new float[Dimension];
        for (var c = 0; c < Dimension; c++)
            result[c] = (float)(System.Numerics.Tensors.TensorPrimitives.Dot<float>(Components[c], centred) / Math.Sqrt(Eigenvalues[c]));
        return result;
    }

    /// <summary>Cyclic Jacobi rotations of a symmetric matrix: its eigenvalues and eigenvectors (columns), unordered.</summary>
    private static (double[] Values, double[,] Vectors) SymmetricEigen(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        for (var i = 0; i < n; i++) v[i, i] = 1;
        for (var sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, diagonal = 0;
            for (var p = 0; p < n; p++)
            {
                diagonal += a[p, p] * a[p, p];
                for (var q = p + 1; q < n; q++) off += a[p, q] * a[p, q];
            }
            if (off <= 1e-24 * Math.Max(diagonal, 1e-300)) break;
            for (var p = 0; p < n - 1; p++)
                for (var q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300) continue;
                    var theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (var k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (var k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                    for (var k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
        }
        var values = new double[n];
        for (var i = 0; i < n; i++) values[i] = a[i, i];
        return (values, v);
    }
}
