namespace ConvEmbed.Service.Tracks;

/// <summary>The active model changed while an upload was being embedded; the upload embeds again with the new one.</summary>
public sealed class ActiveModelChangedException(long embeddedWith, long active)
    : Exception($"The upload was embedded with model {embeddedWith}, but model {active} became active meanwhile.");
