using ConvEmbed.Model.Playlists;

namespace ConvEmbed.Model.Tests.Playlists;

public sealed class RadioPickerTests
{
    private static readonly float[] Seed = Unit(1, 0, 0);

    private static float[] Unit(params float[] v)
    {
        var n = (float)Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / n).ToArray();
    }

    private static RadioCandidate C(string title, float[] v, string? artist = null, string? album = null) =>
        new(Guid.NewGuid().ToString(), title, artist, album, v, RadioPicker.Dot(v, Seed));

    private static RadioRules Rules(int count = 10, double diversity = 0, int? perArtist = null, int? perAlbum = null, IReadOnlySet<string>? exclude = null) =>
        new(count, perArtist, perAlbum, exclude ?? new HashSet<string>(), diversity, 0.999);

    private static readonly RadioCandidate SeedTrack = C("seed", Seed, "S");

    [Fact]
    public void WithoutDiversityTheNearestComeFirstAndSeedsAndExcludedNever()
    {
        var near = C("near", Unit(1, 0.2f, 0));
        var mid = C("mid", Unit(1, 0.6f, 0));
        var far = C("far", Unit(0, 1, 0));
        var excluded = C("excluded", Unit(1, 0.1f, 0));

        var picked = RadioPicker.Pick([far, SeedTrack, mid, excluded, near], [SeedTrack], Rules(exclude: new HashSet<string> { excluded.Id }));

        Assert.Equal(["near", "mid", "far"], picked.Select(p => p.Title));
    }

    /// <summary>Two nearly equal tracks near the seeds: with diversity the second pick is the different one.</summary>
    [Fact]
    public void DiversityPrefersATrackUnlikeThoseAlreadyPicked()
    {
        var a = C("a", Unit(1, 0.30f, 0));
        var aToo = C("a-like", Unit(1, 0.33f, 0.05f));
        var other = C("other", Unit(1, 0, 0.5f));

        Assert.Equal(["a", "a-like"], RadioPicker.Pick([a, aToo, other], [SeedTrack], Rules(count: 2)).Select(p => p.Title));
        Assert.Equal(["a", "other"], RadioPicker.Pick([a, aToo, other], [SeedTrack], Rules(count: 2, diversity: 0.6)).Select(p => p.Title));
    }

    [Fact]
    public void NearDuplicatesAreLeftOutByTitleAndArtistOrByVector()
    {
        var song = C("Song", Unit(1, 0.2f, 0), "Band");
        var reRelease = C("  song ", Unit(1, 0.25f, 0.3f), "band");      // same song, another album
        var sameRecording = C("Song (remaster)", Unit(1, 0.2f, 0.001f), "Band");
        var seedAgain = C("Seed copy", Seed, "Other");

        var picked = RadioPicker.Pick([song, reRelease, sameRecording, seedAgain], [SeedTrack], Rules());

        Assert.Equal(["Song"], picked.Select(p => p.Title));
    }

    [Fact]
    public void AtMostNPerArtistAndPerAlbum()
    {
        var tracks = Enumerable.Range(0, 6).Select(i => C($"t{i}", Unit(1, 0.1f * (i + 1), i), i < 4 ? "Busy Artist" : $"Solo {i}", i % 2 == 0 ? "Album A" : null)).ToList();

        var byArtist = RadioPicker.Pick(tracks, [SeedTrack], Rules(perArtist: 2));
        var byAlbum = RadioPicker.Pick(tracks, [SeedTrack], Rules(perAlbum: 1));

        Assert.Equal(2, byArtist.Count(p => p.Artist == "Busy Artist"));
        Assert.Equal(4, byArtist.Count);
        Assert.Equal(1, byAlbum.Count(p => p.Album == "Album A"));
        Assert.Equal(4, byAlbum.Count); // the three without an album are not limited
    }

    [Fact]
    public void WayPointsAreNormalisedAndGoFromOneEndToTheOther()
    {
        var points = SonicPath.WayPoints(Unit(1, 0, 0), Unit(0, 1, 0), 5);

        Assert.Equal(3, points.Count);
        Assert.All(points, p => Assert.Equal(1.0, Math.Sqrt(RadioPicker.Dot(p, p)), 5));
        var towardsEnd = points.Select(p => RadioPicker.Dot(p, Unit(0, 1, 0))).ToList();
        Assert.Equal(towardsEnd.Order(), towardsEnd);
        Assert.Equal(RadioPicker.Dot(points[1], Unit(1, 0, 0)), RadioPicker.Dot(points[1], Unit(0, 1, 0)), 5);
    }
}
