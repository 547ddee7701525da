using ConvEmbed.Model.Encoding;
using ConvEmbed.Torch;
using ConvEmbed.Torch.Modules;

namespace ConvEmbed.Model.Objectives;

/// <summary>
/// A self-supervised objective: the networks it trains and the loss of one batch. The trainer owns the
/// optimiser; an objective only says which parameters learn and what happens after each step.
/// </summary>
public abstract class Objective : Module
{
    /// <summary>Name used in checkpoints and tables ("convembed/infonce", "dino").</summary>
    public abstract string Name { get; }

    /// <summary>The encoder whose features become embeddings.</summary>
    public abstract Encoder EmbeddingEncoder { get; }

    /// <summary>Whether batches are single windows or DINO's global + local crops.</summary>
    public virtual bool UsesMultiCrop => false;

    /// <summary>Local crops of W/4 per track that a multi-crop batch carries (with its 2 global crops of W).</summary>
    public virtual int LocalCrops => 0;

    /// <summary>Parameters the optimiser updates (excludes a teacher, if any).</summary>
    public virtual IEnumerable<(string Name, Tensor Tensor)> TrainableParameters => named_parameters();

    public abstract Tensor Loss(TrainingBatch batch);

    /// <summary>Called after the optimiser step, with training progress in [0, 1].</summary>
    public virtual void AfterStep(double progress) { }

    public sealed override Tensor forward(Tensor x) => EmbeddingEncoder.forward(x);
}
