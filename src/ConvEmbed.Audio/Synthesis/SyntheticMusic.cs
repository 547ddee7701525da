namespace ConvEmbed.Audio.Synthesis;

/// <summary>
/// Labelled synthetic music for tests and benchmarks (no binary audio is committed). A track of class c is a
/// seeded draw from <see cref="GenreCatalog"/>[c]: random tempo, key, register shift, chord progression, melody,
/// per-track timbre variation, drum density, loudness and noise. The same (seed, class, index) always gives the
/// same samples. Thread-safe (no shared mutable state).
/// </summary>
public sealed class SyntheticMusic(int sampleRate = FrontEnd.SampleRate)
{
    public int SampleRate => sampleRate;

    public static IReadOnlyList<Genre> Genres => GenreCatalog.All;

    public static IReadOnlyList<string> Labels { get; } = GenreCatalog.All.Select(g => g.Name).ToArray();

    /// <summary>Track <paramref name="index"/> of class <paramref name="classIndex"/> for the library seed <paramref name="seed"/>.</summary>
    public SyntheticTrack Generate(int classIndex, int index, int seed = 0, double seconds = 30)
    {
        var genre = Genres[classIndex];
        var rng = new Random(unchecked(seed * 1_000_003 + classIndex * 10_007 + index * 31 + 17));
        var buffer = new float[(int)(seconds * sampleRate)];

        double bpm = genre.TempoMin + rng.NextDouble() * (genre.TempoMax - genre.TempoMin);
        double beat = 60.0 / bpm;
        int key = rng.Next(12);
        int shift = rng.Next(-5, 6);
        int[] progression = Progression(rng, genre.Scale.Length);
        double level = Math.Exp((rng.NextDouble() * 2 - 1) * 0.4);

        var lead = new Instrument(genre.Lead.Vary(rng), sampleRate);
        var pad = genre.Pad is null ? null : new Instrument(genre.Pad.Vary(rng), sampleRate);
        var bass = genre.Bass is null ? null : new Instrument(genre.Bass.Vary(rng), sampleRate);
        double padGain = 0.15 + rng.NextDouble() * 0.25, bassGain = 0.3 + rng.NextDouble() * 0.4;

        double bar = 4 * beat;
        for (int b = 0; b * bar < seconds; b++)
        {
            int chordRoot = progression[b % progression.Length];
            int barStart = (int)(b * bar * sampleRate);
            if (pad is not null)
                foreach (int tone in new[] { 0, 2, 4 })
                    pad.Render(buffer, barStart, bar * 0.95, Frequency(genre.MelodyLow - 12 + shift + key, genre.Scale, chordRoot + tone), padGain * level / 3, rng);
            if (bass is not null)
                for (int k = 0; k < 4; k += rng.NextDouble() < 0.5 ? 2 : 1)
                {
                    int degree = chordRoot + (k == 2 && rng.NextDouble() < 0.4 ? 4 : 0);
                    bass.Render(buffer, barStart + (int)(k * beat * sampleRate), beat * 0.9, Frequency(genre.MelodyLow - 24 + shift + key, genre.Scale, degree), bassGain * level, rng);
                }
        }

        RenderMelody(genre, lead, buffer, beat, key + shift, progression, level, rng);
        RenderDrums(genre, buffer, beat, level, rng);

        double noise = genre.NoiseLevel * (0.3 + rng.NextDouble() * 1.4);
        double peak = 0;
        for (int i = 0; i < buffer.Length; i++)
        {
            if (noise > 0) buffer[i] += (float)(noise * (rng.NextDouble() * 2 - 1));
            peak = Math.Max(peak, Math.Abs(buffer[i]));
        }
        // Loudness varies within a class (−10…−1 dBFS peak), so level alone says nothing about the label.
        double target = Math.Pow(10, (-10 + rng.NextDouble() * 9) / 20);
        if (peak > 0)
        {
            float g = (float)(target / peak);
            for (int i = 0; i < buffer.Length; i++) buffer[i] *= g;
        }
        return new SyntheticTrack(genre.Name, classIndex, buffer, sampleRate);
    }

    /// <summary>All tracks of a balanced library: <paramref name="perClass"/> per class, in class order.</summary>
    public IEnumerable<SyntheticTrack> Library(int perClass, int seed = 0, double seconds = 30)
    {
        for (int c = 0; c < Genres.Count; c++)
            for (int i = 0; i < perClass; i++)
                yield return Generate(c, i, seed, seconds);
    }

    private void RenderMelody(Genre genre, Instrument lead, float[] buffer, double beat, int transpose, int[] progression, double level, Random rng)
    {
        double seconds = (double)buffer.Length / sampleRate;
        double density = genre.NotesPerBeat[rng.Next(genre.NotesPerBeat.Length)];
        double step = beat / density;
        double gain = (0.25 + rng.NextDouble() * 0.3) * level;
        int degree = rng.Next(genre.Scale.Length);
        int span = Math.Max(1, genre.MelodyRange * genre.Scale.Length / 12);
        int n = 0;
        for (double t = 0; t < seconds; t += step, n++)
        {
            // Swing delays every second subdivision.
            double onset = t + (n % 2 == 1 ? genre.Swing * step * 0.5 : 0);
            if (rng.NextDouble() < genre.RestProbability) continue;
            if (genre.Arpeggio)
            {
                int chord = progression[(int)(t / (4 * beat)) % progression.Length];
                degree = chord + 2 * (n % 3) + (rng.NextDouble() < 0.2 ? genre.Scale.Length : 0);
            }
            else
            {
                degree = Math.Clamp(degree + rng.Next(-2, 3), 0, span);
            }
            double length = step * (rng.NextDouble() < 0.2 ? 2 : 1) * 0.9;
            lead.Render(buffer, (int)(onset * sampleRate), length, Frequency(genre.MelodyLow + transpose, genre.Scale, degree), gain, rng);
        }
    }

    private void RenderDrums(Genre genre, float[] buffer, double beat, double level, Random rng)
    {
        if (genre.Kick is null && genre.Snare is null && genre.Hat is null) return;
        var kit = new DrumKit(sampleRate, rng);
        double density = 0.6 + rng.NextDouble() * 0.6;
        double drumGain = (0.3 + rng.NextDouble() * 0.5) * level;
        double sixteenth = beat / 4;
        double seconds = (double)buffer.Length / sampleRate;
        int s = 0;
        for (double t = 0; t < seconds; t += sixteenth, s++)
        {
            int i = s % 16;
            int at = (int)((t + (s % 2 == 1 ? genre.Swing * sixteenth * 0.5 : 0)) * sampleRate);
            if (at >= buffer.Length) break;
            if (genre.Kick is not null && rng.NextDouble() < genre.Kick[i] * density) kit.Kick(buffer, at, drumGain);
            if (genre.Snare is not null && rng.NextDouble() < genre.Snare[i] * density) kit.Snare(buffer, at, drumGain * 0.7);
            if (genre.Hat is not null && rng.NextDouble() < genre.Hat[i] * density) kit.Hat(buffer, at, drumGain * 0.4);
        }
    }

    private static int[] Progression(Random rng, int scaleLength)
    {
        int[][] options = [[0, 3, 4, 0], [0, 5, 3, 4], [0, 4, 5, 3], [1, 4, 0, 0], [0, 3, 0, 4], [5, 3, 0, 4]];
        return options[rng.Next(options.Length)].Select(d => d % scaleLength).ToArray();
    }

    private static double Frequency(int rootMidi, int[] scale, int degree)
    {
        int octave = Math.DivRem(degree, scale.Length, out int within);
        if (within < 0) { within += scale.Length; octave--; }
        int midi = rootMidi + 12 * octave + scale[within];
        return 440.0 * Math.Pow(2, (midi - 69) / 12.0);
    }
}
