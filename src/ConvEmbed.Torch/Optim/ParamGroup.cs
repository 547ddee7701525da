namespace ConvEmbed.Torch.Optim;

/// <summary>Parameters sharing a learning rate and weight decay (torch.optim param_groups); LR is mutable for schedules.</summary>
public sealed class ParamGroup(IReadOnlyList<Tensor> parameters, double lr, double weightDecay)
{
    public IReadOnlyList<Tensor> Parameters { get; } = parameters;
    public double LearningRate { get; set; } = lr;
    public double WeightDecay { get; set; } = weightDecay;
}
