namespace ConvEmbed.Model.Training;

/// <summary>Training stopped because the embeddings collapsed or the loss stopped being a number.</summary>
public sealed class TrainingCollapsedException(string message) : Exception(message);
