namespace ConvEmbed.Service.Training;

/// <summary>How far a job is: training steps, time, speed, the loss curve and the collapse monitor so far, and the re-embedding.</summary>
/// <param name="Step">Training steps done.<example>120</example></param>
/// <param name="TotalSteps">The step budget, when the job has one.</param>
/// <param name="ElapsedSeconds">Training time so far.<example>64.2</example></param>
/// <param name="EtaSeconds">Estimated training time left.<example>535.8</example></param>
/// <param name="StepsPerSecond">Recent training speed.<example>1.9</example></param>
/// <param name="Loss">Loss curve: [step, loss] pairs.</param>
/// <param name="EmbeddingStd">Collapse monitor: [step, mean per-dimension std of normalised embeddings] (≈ 1/√C healthy, → 0 collapsed).</param>
/// <param name="Reembedded">Tracks embedded with the new model so far.<example>800</example></param>
/// <param name="Tracks">Tracks to embed.<example>1200</example></param>
/// <param name="Precision">The precision training runs in and why, once it started.<example>bf16: auto, CPU has avx512_bf16</example></param>
/// <param name="Device">Where the training's tensors live (ConvEmbed:Device), once it started.<example>cpu</example></param>
/// <param name="Stage">What a job asked to whiten does between its last step and the re-embedding, while it does it.<example>fitting the whitening: 118/207 tracks embedded</example></param>
public sealed record TrainingJobProgress(int Step = 0, int? TotalSteps = null, double ElapsedSeconds = 0, double? EtaSeconds = null,
    double StepsPerSecond = 0, IReadOnlyList<double[]>? Loss = null, IReadOnlyList<double[]>? EmbeddingStd = null,
    long Reembedded = 0, long Tracks = 0, string? Precision = null, string? Device = null, string? Stage = null)
{
    public static readonly TrainingJobProgress None = new();
}
