namespace ConvEmbed.Model.Training;

/// <summary>The parts of one training step, in order (see <see cref="Trainer.TakeStep"/>).</summary>
public enum StepPart
{
    /// <summary>Sampling windows (or DINO's crops) and augmenting them.</summary>
    Batch,
    /// <summary>The objective's loss: encoder, head, loss.</summary>
    Forward,
    Backward,
    /// <summary>Global gradient-norm clipping.</summary>
    Clip,
    /// <summary>AdamW and the objective's after-step (DINO's EMA and centre).</summary>
    Optimizer,
}
