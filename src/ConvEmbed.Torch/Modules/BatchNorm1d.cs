namespace ConvEmbed.Torch.Modules;

/// <summary>Batch normalisation over (N, C) or (N, C, L), as torch.nn.BatchNorm1d: batch stats in training, running stats in eval.</summary>
public sealed class BatchNorm1d : Module
{
    public BatchNorm1d(long features, double eps = 1e-5, double momentum = 0.1)
    {
        (Eps, Momentum) = (eps, momentum);
        Weight = RegisterParameter("weight", Torch.ones([features]));
        Bias = RegisterParameter("bias", Torch.zeros([features]));
        RunningMean = RegisterBuffer("running_mean", Torch.zeros([features]));
        RunningVar = RegisterBuffer("running_var", Torch.ones([features]));
        // int64 as in PyTorch, so checkpoints carry the same keys a Python state_dict has.
        NumBatchesTracked = RegisterBuffer("num_batches_tracked", Torch.zeros([], ScalarType.Int64));
    }

    public Tensor Weight { get; }
    public Tensor Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }
    public Tensor NumBatchesTracked { get; }
    public double Eps { get; }
    public double Momentum { get; }

    // The count lives on the host too, so a training step writes it without reading the device (item() would wait
    // for a GPU, and the meta device has nothing to read); read once, after a checkpoint may have set the buffer.
    private long batchesTracked = -1;

    public override Tensor forward(Tensor x)
    {
        if (IsTraining)
            using (new NoGradScope())
            {
                if (batchesTracked < 0) batchesTracked = NumBatchesTracked.Device == Device.Meta ? 0 : (long)NumBatchesTracked.item();
                NumBatchesTracked.fill_(++batchesTracked); // add_ with a float alpha is refused for int64
            }
        return Functional.batch_norm(x, RunningMean, RunningVar, Weight, Bias, IsTraining, Momentum, Eps);
    }
}
