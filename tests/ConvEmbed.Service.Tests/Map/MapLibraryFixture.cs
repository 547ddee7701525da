using ConvEmbed.Service.Tests.Library;
using ConvEmbed.Service.Tests.Support;

namespace ConvEmbed.Service.Tests.Map;

/// <summary>The map page's service over a library folder of WAV files (3 styles × 2 tracks), indexed in place.</summary>
public sealed class MapLibraryFixture : MapBrowserFixture
{
    public static readonly int[] Styles = [1, 4, 6];
    public const int PerStyle = 2;
    public const int TrackCount = 6;

    private readonly string music = Directory.CreateTempSubdirectory("convembed-map-library-").FullName;

    protected override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        foreach (var style in Styles)
            for (var i = 0; i < PerStyle; i++)
            {
                var path = Path.Combine(music, $"style{style}", $"style{style} take {i}.wav");   // titles differ: no duplicates in a radio
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, await TestAudio.TrackAsync(style, 50 + i));
            }
        return AdminClient.Settings(new(MapLayoutWaits.FastMap) { ["ConvEmbed:Library:Folders:0"] = music });
    }

    protected override async Task FillAsync()
    {
        await LibraryWaits.UntilIdleAsync(Client, after: null);
        await Client.WaitForMapAsync(TrackCount);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(music, recursive: true);
    }
}
