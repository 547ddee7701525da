namespace ConvEmbed.Service.Training;

/// <summary>Retraining in the service. Bound from <c>ConvEmbed:Training</c>.</summary>
public sealed record ServiceTrainingOptions
{
    public const string Section = "ConvEmbed:Training";

    /// <summary>A training job needs at least this many tracks (fewer → 409).</summary>
    public int MinTracks { get; init; } = 20;

    /// <summary>Queue a training job when this many tracks were added since the active model was made; 0 = off.</summary>
    public int AutoRetrainAfterTracks { get; init; }

    /// <summary>Previous models whose vectors are kept after a switch (so an admin can switch back at once).</summary>
    public int KeepPreviousModels { get; init; } = 1;

    /// <summary>How often an idle worker looks for queued jobs.</summary>
    public double PollSeconds { get; init; } = 2;

    /// <summary>A running job whose worker has not reported for this long is marked failed (its service died).</summary>
    public double HeartbeatTimeoutSeconds { get; init; } = 30;

    /// <summary>Whether this instance runs the worker at all (an API-only replica can turn it off).</summary>
    public bool WorkerEnabled { get; init; } = true;

    public IEnumerable<string> Validate()
    {
        if (MinTracks < 2) yield return $"{Section}:MinTracks must be at least 2: the objective contrasts tracks (was {MinTracks}).";
        if (AutoRetrainAfterTracks < 0) yield return $"{Section}:AutoRetrainAfterTracks must be 0 (off) or positive (was {AutoRetrainAfterTracks}).";
        if (KeepPreviousModels < 0) yield return $"{Section}:KeepPreviousModels must not be negative (was {KeepPreviousModels}).";
        if (PollSeconds is <= 0 or > 3600) yield return $"{Section}:PollSeconds must be in (0, 3600] (was {PollSeconds}).";
        if (HeartbeatTimeoutSeconds < 3 * 1.0) yield return $"{Section}:HeartbeatTimeoutSeconds must be at least 3 (was {HeartbeatTimeoutSeconds}).";
    }
}
