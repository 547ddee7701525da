namespace ConvEmbed.Audio.Synthesis;

/// <summary>The eight synthetic genres. Index in <see cref="All"/> is the class label.</summary>
public static class GenreCatalog
{
    private static readonly int[] Major = [0, 2, 4, 5, 7, 9, 11];
    private static readonly int[] Minor = [0, 2, 3, 5, 7, 8, 10];
    private static readonly int[] Pentatonic = [0, 2, 4, 7, 9];
    private static readonly int[] Blues = [0, 3, 5, 6, 7, 10];
    private static readonly int[] Dorian = [0, 2, 3, 5, 7, 9, 10];

    private static double[] Steps(string pattern) => pattern.Select(c => c switch { 'X' => 1.0, 'x' => 0.6, 'o' => 0.25, _ => 0.0 }).ToArray();

    public static IReadOnlyList<Genre> All { get; } =
    [
        new("ambient", 60, 90, 0, 60, 19, Major, [0.25, 0.5], 0.3,
            Lead: new Timbre(4, 2.0, false, 0.4, 1.5, 0.7, 1.5, VibratoHz: 4, VibratoDepth: 0.003, DetuneCents: 8),
            Pad: new Timbre(6, 1.6, false, 1.2, 3.0, 0.8, 2.0, DetuneCents: 12),
            Bass: null, Arpeggio: false, Kick: null, Snare: null, Hat: null, NoiseLevel: 0.01),
        new("techno", 118, 140, 0, 57, 12, Minor, [2, 4], 0.35,
            Lead: new Timbre(14, 1.0, false, 0.005, 0.12, 0.2, 0.05, Drive: 1.5),
            Pad: null,
            Bass: new Timbre(12, 1.0, false, 0.003, 0.15, 0.3, 0.05, Drive: 2),
            Arpeggio: true, Kick: Steps("X...X...X...X..."), Snare: Steps("....o.......o..."), Hat: Steps("..X...X...X...X."), NoiseLevel: 0.005),
        new("rock", 95, 150, 0, 52, 15, Pentatonic, [1, 2], 0.15,
            Lead: new Timbre(12, 0.9, true, 0.01, 0.6, 0.6, 0.1, Drive: 3),
            Pad: new Timbre(10, 1.0, true, 0.01, 0.8, 0.5, 0.1, Drive: 2.5),
            Bass: new Timbre(6, 1.3, false, 0.01, 0.4, 0.5, 0.08),
            Arpeggio: false, Kick: Steps("X.o.....X.x....."), Snare: Steps("....X.......X..."), Hat: Steps("x.x.x.x.x.x.x.x."), NoiseLevel: 0.01),
        new("jazz", 80, 170, 0.33, 55, 20, Dorian, [1, 2, 3], 0.25,
            Lead: new Timbre(8, 1.6, false, 0.004, 0.5, 0.1, 0.2),
            Pad: new Timbre(7, 1.7, false, 0.004, 0.7, 0.15, 0.3),
            Bass: new Timbre(4, 1.8, false, 0.01, 0.35, 0.2, 0.1),
            Arpeggio: false, Kick: Steps("o.......o......."), Snare: Steps("......o.....o..o"), Hat: Steps("X..xX..xX..xX..x"), NoiseLevel: 0.008),
        new("strings", 55, 110, 0, 62, 19, Minor, [0.5, 1], 0.1,
            Lead: new Timbre(16, 1.1, false, 0.25, 2.0, 0.85, 0.4, VibratoHz: 5.5, VibratoDepth: 0.006, DetuneCents: 6),
            Pad: new Timbre(14, 1.2, false, 0.4, 2.5, 0.85, 0.6, VibratoHz: 5, VibratoDepth: 0.004, DetuneCents: 10),
            Bass: new Timbre(12, 1.2, false, 0.3, 2.0, 0.8, 0.5),
            Arpeggio: false, Kick: null, Snare: null, Hat: null, NoiseLevel: 0.004),
        new("hiphop", 78, 100, 0.15, 60, 12, Blues, [0.5, 1, 2], 0.45,
            Lead: new Timbre(5, 1.5, false, 0.01, 0.3, 0.3, 0.2),
            Pad: new Timbre(3, 2.2, false, 0.05, 1.0, 0.6, 0.4),
            Bass: new Timbre(1, 2.0, false, 0.005, 0.6, 0.6, 0.1),
            Arpeggio: false, Kick: Steps("X.....x...X....."), Snare: Steps("....X.......X..."), Hat: Steps("x.x.x.xxx.x.x.x."), NoiseLevel: 0.015),
        new("folk", 85, 125, 0.1, 55, 17, Major, [1, 2], 0.15,
            Lead: new Timbre(10, 1.9, false, 0.002, 0.35, 0.0, 0.3),
            Pad: new Timbre(10, 2.0, false, 0.002, 0.5, 0.0, 0.4),
            Bass: null, Arpeggio: true, Kick: null, Snare: null, Hat: Steps("o.o.o.o.o.o.o.o."), NoiseLevel: 0.006),
        new("chiptune", 130, 180, 0, 64, 17, Major, [2, 4], 0.1,
            Lead: new Timbre(15, 1.0, true, 0.001, 0.2, 0.8, 0.02),
            Pad: null,
            Bass: new Timbre(9, 0.8, false, 0.001, 0.3, 0.8, 0.02),
            Arpeggio: true, Kick: Steps("X.......X......."), Snare: Steps("....X.......X..."), Hat: Steps("x.x.x.x.x.x.x.x."), NoiseLevel: 0.0),
    ];
}
