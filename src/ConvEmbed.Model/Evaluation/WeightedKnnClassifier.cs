using System.Numerics.Tensors;

namespace ConvEmbed.Model.Evaluation;

/// <summary>
/// Leave-one-out weighted k-nearest-neighbour classification on cosine similarity, as DINO's eval_knn
/// (Caron et al. 2021, after Wu et al. 2018), as docs/method.md#weighted-knn defines it:
/// <code>
/// s_ij   = x_i·x_j / (‖x_i‖ ‖x_j‖)                      (j ≠ i: the query is left out)
/// N_k(i) = the k tracks j ≠ i with the largest s_ij
/// vote_c = Σ_{j ∈ N_k(i), y_j = c} exp(s_ij / T)       (T = 0.07)
/// ŷ_i    = argmax_c vote_c,   accuracy = mean_i [ŷ_i = y_i]
/// </code>
/// Ties: equal similarities keep the lower track index, equal votes the lower class index (torch's argmax
/// returns the first maximum; PyTorch's topk leaves similarity ties unspecified).
/// Deliberate difference: a PyTorch version that fills the diagonal with −2 and takes topk(k) would, for k ≥ N,
/// count the query itself with weight exp(−2/T) ≈ 4e−13; here k is capped at N − 1 and the query never votes.
/// Neighbour lists are computed once, up to the largest k asked for, so several k cost one pass.
/// </summary>
public sealed class WeightedKnnClassifier
{
    public const double DefaultTemperature = 0.07;

    private readonly int[] _labels;
    private readonly int[][] _neighbours;     // per query, best first
    private readonly float[][] _similarities; // aligned with _neighbours
    private readonly int _classCount;

    /// <param name="embeddings">One vector per track; normalised here.</param>
    /// <param name="labels">Class indices 0..C−1, one per track.</param>
    /// <param name="maxK">The largest k that will be asked for.</param>
    /// <param name="temperature">T of the vote weights exp(s/T).</param>
    /// <param name="hubness">With each track's r (<see cref="Embeddings.HubnessCorrection"/>), s_ij becomes the
    /// hubness-corrected cos_ij − (r_i + r_j)/2 for ranking and votes; null keeps the plain cosine.</param>
    public WeightedKnnClassifier(IReadOnlyList<float[]> embeddings, IReadOnlyList<int> labels, int maxK,
        double temperature = DefaultTemperature, IReadOnlyList<float>? hubness = null)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        if (embeddings.Count != labels.Count)
            throw new ArgumentException($"{embeddings.Count} embeddings but {labels.Count} labels");
        if (embeddings.Count < 2) throw new ArgumentException("leave-one-out kNN needs at least two tracks");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxK, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        if (labels.Any(y => y < 0)) throw new ArgumentException("class indices must be non-negative", nameof(labels));
        if (hubness is not null && hubness.Count != embeddings.Count)
            throw new ArgumentException($"{embeddings.Count} embeddings but {hubness.Count} hubness values", nameof(hubness));

        Temperature = temperature;
        _labels = labels.ToArray();
        _classCount = _labels.Max() + 1;
        var x = EmbeddingNormalisation.Normalise(embeddings);
        var keep = Math.Min(maxK, x.Length - 1);
        MaxK = keep;
        _neighbours = new int[x.Length][];
        _similarities = new float[x.Length][];
        var r = hubness?.ToArray();
        Parallel.For(0, x.Length, i => (_neighbours[i], _similarities[i]) = Nearest(x, i, keep, r));
    }

    public double Temperature { get; }

    /// <summary>The largest usable k: the one asked for, capped at N − 1.</summary>
    public int MaxK { get; }

    /// <summary>The predicted class of each track from its k nearest other tracks.</summary>
    public int[] LeaveOneOutPredictions(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (k > MaxK && MaxK < _labels.Length - 1)
            throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} exceeds the maxK = {MaxK} given at construction");
        k = Math.Min(k, MaxK);
        var predictions = new int[_labels.Length];
        var votes = new double[_classCount];
        for (var i = 0; i < _labels.Length; i++)
        {
            Array.Clear(votes);
            for (var r = 0; r < k; r++)
                votes[_labels[_neighbours[i][r]]] += Math.Exp(_similarities[i][r] / Temperature);
            var best = 0;
            for (var c = 1; c < votes.Length; c++)
                if (votes[c] > votes[best]) best = c;
            predictions[i] = best;
        }
        return predictions;
    }

    /// <summary>The fraction of tracks whose leave-one-out prediction is their own class.</summary>
    public double LeaveOneOutAccuracy(int k)
    {
        var predictions = LeaveOneOutPredictions(k);
        var correct = 0;
        for (var i = 0; i < predictions.Length; i++)
            if (predictions[i] == _labels[i]) correct++;
        return (double)correct / predictions.Length;
    }

    private static (int[] Indices, float[] Similarities) Nearest(float[][] x, int query, int k, float[]? hubness)
    {
        var order = new int[x.Length - 1];
        var similarity = new float[x.Length];
        for (int j = 0, r = 0; j < x.Length; j++)
        {
            if (j == query) continue;
            similarity[j] = TensorPrimitives.Dot<float>(x[query], x[j]);
            if (hubness is not null) similarity[j] = Embeddings.HubnessCorrection.Corrected(similarity[j], hubness[query], hubness[j]);
            order[r++] = j;
        }
        // Full sort of N − 1 items per query: O(N² log N) overall, fine for the thousands of tracks evaluated.
        Array.Sort(order, (a, b) =>
        {
            var bySimilarity = similarity[b].CompareTo(similarity[a]);
            return bySimilarity != 0 ? bySimilarity : a.CompareTo(b);
        });
        var indices = order[..k];
        return (indices, indices.Select(j => similarity[j]).ToArray());
    }
}
