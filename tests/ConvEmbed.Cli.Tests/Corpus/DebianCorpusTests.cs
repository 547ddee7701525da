using ConvEmbed.Cli.Corpus;

namespace ConvEmbed.Cli.Tests.Corpus;

/// <summary>The corpus builder's pure parts: which files are music, their names, and their licence from the copyright file.</summary>
public sealed class DebianCorpusTests
{
    // A machine-readable copyright file in the shape Debian's game data packages use (written for this test).
    private const string Dep5 = """
        Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
        Upstream-Name: somegame

        Files: *
        Copyright: 2001 Somebody
        License: GPL-2+

        Files: data/music/*
         extra/tunes/intro?.ogg
        Copyright: 2005 A Composer
        License: CC-BY-SA-3.0
         The licence text follows here
         over several lines.

        Files: data/music/theme.ogg
        Copyright: 2006 Another Composer
        License: CC0-1.0

        Files: debian/*
        Copyright: 2010 A Maintainer
        License: GPL-2+
        """;

    [Theory]
    [InlineData("usr/share/games/somegame/data/music/battle.ogg", "CC-BY-SA-3.0")]
    [InlineData("usr/share/games/somegame/data/music/theme.ogg", "CC0-1.0")] // the last matching paragraph wins
    [InlineData("./usr/share/games/somegame/extra/tunes/intro2.ogg", "CC-BY-SA-3.0")]
    [InlineData("usr/share/games/somegame/extra/tunes/intro12.ogg", "GPL-2+")] // '?' is one character
    [InlineData("usr/share/games/somegame/sounds/click.wav", "GPL-2+")]
    public void LicenceOfAnInstalledFileFollowsTheLastMatchingParagraph(string path, string licence) =>
        Assert.Equal(licence, Dep5Copyright.Parse(Dep5).LicenseOf(path));

    [Fact]
    public void ProseCopyrightFilesNameTheGplVersion()
    {
        const string prose = """
            This package was debianized by somebody.

            License:

                This package is free software; you can redistribute it and/or modify
                it under the terms of the GNU General Public License as published by
                the Free Software Foundation; either version 2 of the License, or
                (at your option) any later version.
            """;
        Assert.Equal("GPL-2+", Dep5Copyright.Parse(prose).LicenseOf("usr/share/games/x/music/a.it"));
        Assert.Equal("GPL-3", Dep5Copyright.Parse("under the GNU General Public License, version 3.").LicenseOf("a.ogg"));
        Assert.Null(Dep5Copyright.Parse("All rights reserved.").LicenseOf("a.ogg"));
    }

    [Theory]
    [InlineData("usr/share/games/hedgewars/Data/Music/Art.ogg", true)]
    [InlineData("usr/share/games/xmoto/Textures/Musics/foxrun.ogg", true)]
    [InlineData("usr/share/games/pingus/data/music/gd-cancn.it", true)]
    [InlineData("usr/share/games/naev/dat/snd/sounds/laser.wav", false)]          // not under a music folder
    [InlineData("usr/share/games/naev/dat/gfx/commodity/music.png", false)]       // not audio
    [InlineData("usr/share/doc/planetblupi-music-ogg/copyright", false)]
    [InlineData("usr/share/games/x/musicbox/a.ogg", false)]
    public void MusicIsAudioUnderAFolderNamedMusic(string path, bool expected) =>
        Assert.Equal(expected, DebianCorpus.IsMusicFile(path));

    [Fact]
    public void NamesKeepTheFileNameAndTellClashesApart()
    {
        var names = CorpusNames.Assign(["a/music/intro.ogg", "b/music/Intro.ogg", "a/music/battle.ogg"]);
        Assert.Equal("battle.ogg", names["a/music/battle.ogg"]);
        Assert.Equal("music_intro.ogg", names["a/music/intro.ogg"]);
        Assert.Equal("music_Intro_2.ogg", names["b/music/Intro.ogg"]);
        Assert.Equal(3, names.Values.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public async Task AnUnknownPackageIsAOneLineError()
    {
        using var dir = new TempFolder();
        var run = await CliProcess.RunAsync(dir.Path, "corpus", "debian", "music", "--cache", dir.File("debs"), "--packages", "not-a-package");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("convembed: 'not-a-package' is not one of the corpus packages", run.Stderr.Trim());

        var inside = await CliProcess.RunAsync(dir.Path, "corpus", "debian", "music", "--cache", "music/debs");
        Assert.Equal(1, inside.ExitCode);
        Assert.Contains("must not be inside the corpus folder", inside.Stderr);
    }
}
