namespace ConvEmbed.Service.Storage;

/// <summary>Which instance this is. Bound from <c>ConvEmbed</c> (<c>ConvEmbed:InstanceName</c>, environment <c>ConvEmbed__InstanceName</c>).</summary>
public sealed record InstanceOptions
{
    public const string Setting = "ConvEmbed:InstanceName";

    /// <summary>This instance's stable name in the claims it makes (jobs, library files); empty = host name and data folder.
    /// Two live processes must not share it.</summary>
    public string InstanceName { get; init; } = "";

    public IEnumerable<string> Validate()
    {
        if (InstanceName.Contains(':')) yield return $"{Setting} must not contain ':' (was '{InstanceName}').";
    }
}
