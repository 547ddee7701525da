using System.Numerics.Tensors;

namespace ConvEmbed.Audio.Resampling;

/// <summary>
/// Band-limited polyphase resampler (Kaiser-windowed sinc) between any two integer rates.
/// The low-pass stops at half the lower rate with a transition band of 1/16 of that rate (7.5–8 kHz when going to
/// 16 kHz) and ≥ 70 dB stop-band attenuation, so after 44.1 → 16 kHz a tone above 8 kHz is ≥ 60 dB down and a
/// 1 kHz tone keeps its level within 0.01 dB. One filter phase per distinct output position (at most
/// <see cref="MaxPhases"/>; beyond that positions are rounded to the nearest phase). Immutable and thread-safe.
/// </summary>
public sealed class Resampler
{
    public const int MaxPhases = 4096;
    private const double StopbandDb = 75;

    private readonly int _up;      // L: output rate / gcd
    private readonly int _down;    // M: input rate / gcd
    private readonly int _phases;
    private readonly int _taps;    // taps per phase, a multiple of 8 for the vector dot product
    private readonly int _left;    // tap 0 sits this many input samples before the output position
    private readonly float[] _filters; // _phases × _taps

    public Resampler(int inputRate, int outputRate)
    {
        if (inputRate <= 0 || outputRate <= 0) throw new ArgumentOutOfRangeException(nameof(inputRate), "Rates must be positive.");
        InputRate = inputRate;
        OutputRate = outputRate;
        int g = Gcd(inputRate, outputRate);
        _up = outputRate / g;
        _down = inputRate / g;
        _phases = Math.Min(_up, MaxPhases);

        // Filter in input-sample units: cutoff fc (cycles/input sample), half-width hw from Kaiser's formula.
        double lowRate = Math.Min(inputRate, outputRate);
        double transition = lowRate / 16.0;
        double stop = lowRate / 2.0;
        double fc = (stop - transition / 2) / inputRate;
        double beta = 0.1102 * (StopbandDb - 8.7);
        double width = (StopbandDb - 8) / (2.285 * 2 * Math.PI * transition / inputRate);
        double hw = width / 2;
        _left = (int)Math.Ceiling(hw);
        _taps = (2 * _left + 2 + 7) / 8 * 8;
        _filters = new float[_phases * _taps];
        double i0Beta = BesselI0(beta);
        var row = new double[_taps];
        for (int p = 0; p < _phases; p++)
        {
            double frac = (double)p / _phases;      // output position = base + frac (input samples)
            double sum = 0;
            for (int j = 0; j < _taps; j++)
            {
                double u = frac + _left - j; // distance from tap j (input index base - _left + j) to the position
                double h = 0;
                if (Math.Abs(u) < hw)
                {
                    double r = u / hw;
                    h = 2 * fc * Sinc(2 * fc * u) * BesselI0(beta * Math.Sqrt(1 - r * r)) / i0Beta;
                }
                row[j] = h;
                sum += h;
            }
            // Unit DC gain per phase: the level of a tone does not depend on where the output sample falls.
            for (int j = 0; j < _taps; j++) _filters[p * _taps + j] = (float)(row[j] / sum);
        }
    }

    public int InputRate { get; }
    public int OutputRate { get; }

    /// <summary>Taps per output sample (the cost of one output sample in multiply-adds).</summary>
    public int TapsPerPhase => _taps;

    /// <summary>Number of output samples for <paramref name="inputLength"/> input samples: ceil(n · out / in).</summary>
    public int OutputLength(int inputLength) => (int)(((long)inputLength * _up + _down - 1) / _down);

    /// <summary>Resamples <paramref name="input"/> (samples outside it count as zero).</summary>
    public float[] Process(ReadOnlySpan<float> input)
    {
        if (InputRate == OutputRate) return input.ToArray();
        int outLen = OutputLength(input.Length);
        var output = new float[outLen];
        // Zero padding on both sides lets every output sample use the same straight dot product.
        var padded = new float[input.Length + 2 * _taps];
        input.CopyTo(padded.AsSpan(_taps));
        var filters = _filters.AsSpan();
        for (int n = 0; n < outLen; n++)
        {
            long pos = (long)n * _down;          // position in units of 1/_up input samples
            long baseIndex = pos / _up;
            long rem = pos % _up;
            int phase;
            if (_phases == _up) phase = (int)rem;
            else
            {
                phase = (int)Math.Round((double)rem * _phases / _up);
                if (phase == _phases) { phase = 0; baseIndex++; }
            }
            int first = (int)baseIndex - _left + _taps; // padded index of tap 0
            output[n] = TensorPrimitives.Dot(padded.AsSpan(first, _taps), filters.Slice(phase * _taps, _taps));
        }
        return output;
    }

    private static double Sinc(double x) => x == 0 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 200 && term > 1e-17 * sum; k++)
        {
            term *= q / ((double)k * k);
            sum += term;
        }
        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
