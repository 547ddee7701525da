namespace ConvEmbed.Audio.Errors;

/// <summary>Error text for people: messages that span lines (ffmpeg's stderr, option lists) folded into one.</summary>
public static class Messages
{
    public static string OneLine(string message) =>
        string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
