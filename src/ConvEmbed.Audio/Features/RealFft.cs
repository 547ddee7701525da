using System.Runtime.Intrinsics;

namespace ConvEmbed.Audio.Features;

/// <summary>
/// Power spectrum of a real frame of even power-of-two length N, computed as one complex FFT of length N/2 over the
/// even/odd samples packed as (re, im) and an O(N) split step. Twiddles and the bit-reversal table are precomputed;
/// arithmetic is in double so the log of quiet mel bands stays within 1e-4 of a float32 reference.
/// Not thread-safe: it owns its work buffers (one instance per thread).
/// </summary>
public sealed class RealFft
{
    private readonly int _n;          // real length
    private readonly int _half;       // complex length n/2
    private readonly int[] _bitReverse;
    // Twiddles exp(-2πi j / len), j < len/2, for every stage; stage with half-length h starts at offset h - 1,
    // so each stage reads its twiddles contiguously (vector loads).
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly double[] _splitCos; // exp(-2πi k / n), k ≤ half
    private readonly double[] _splitSin;
    private readonly double[] _re;
    private readonly double[] _im;

    public RealFft(int n)
    {
        if (n < 4 || (n & (n - 1)) != 0) throw new ArgumentException("FFT length must be a power of two ≥ 4.", nameof(n));
        _n = n;
        _half = n / 2;
        _re = new double[_half];
        _im = new double[_half];
        _bitReverse = new int[_half];
        int bits = System.Numerics.BitOperations.Log2((uint)_half);
        for (int i = 0; i < _half; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
            _bitReverse[i] = r;
        }
        _cos = new double[Math.Max(1, _half - 1)];
        _sin = new double[_cos.Length];
        for (int h = 1; h < _half; h <<= 1)
            for (int j = 0; j < h; j++)
            {
                double a = -Math.PI * j / h;
                _cos[h - 1 + j] = Math.Cos(a);
                _sin[h - 1 + j] = Math.Sin(a);
            }
        _splitCos = new double[_half + 1];
        _splitSin = new double[_half + 1];
        for (int k = 0; k <= _half; k++)
        {
            double a = -2 * Math.PI * k / n;
            _splitCos[k] = Math.Cos(a);
            _splitSin[k] = Math.Sin(a);
        }
    }

    public int Length => _n;

    /// <summary>Number of power bins, n/2 + 1.</summary>
    public int Bins => _half + 1;

    /// <summary>Writes |X[k]|² for k = 0..n/2 of the real signal <paramref name="frame"/> into <paramref name="power"/>.</summary>
    public void Power(ReadOnlySpan<double> frame, Span<double> power)
    {
        if (frame.Length != _n) throw new ArgumentException($"Frame must have {_n} samples.", nameof(frame));
        if (power.Length < Bins) throw new ArgumentException($"Power needs {Bins} bins.", nameof(power));
        var re = _re;
        var im = _im;
        var rev = _bitReverse;
        for (int i = 0; i < _half; i++)
        {
            int r = rev[i];
            re[r] = frame[2 * i];
            im[r] = frame[2 * i + 1];
        }
        Transform(re, im);

        // Split the packed transform Z into the spectrum X of the real input:
        // X[k] = (Z[k] + conj Z[h-k]) / 2 - i·w^k (Z[k] - conj Z[h-k]) / 2, w = exp(-2πi/n), Z[h] = Z[0].
        var sc = _splitCos;
        var ss = _splitSin;
        for (int k = 0; k <= _half; k++)
        {
            int a = k == _half ? 0 : k;
            int b = k == 0 ? 0 : _half - k;
            double zr = re[a], zi = im[a], cr = re[b], ci = -im[b];
            double er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);   // even part
            double dr = 0.5 * (zr - cr), di = 0.5 * (zi - ci);   // odd part times i
            // odd = -i·(dr + i·di) = di - i·dr
            double or = di, oi = -dr;
            double xr = er + sc[k] * or - ss[k] * oi;
            double xi = ei + sc[k] * oi + ss[k] * or;
            power[k] = xr * xr + xi * xi;
        }
    }

    // Iterative radix-2 decimation in time over bit-reversed input. Stages with at least four butterflies per block
    // run four at a time in Vector256<double>; the butterfly count dominates the log-mel cost.
    private unsafe void Transform(double[] re, double[] im)
    {
        int n = _half;
        bool vector = Vector256.IsHardwareAccelerated;
        fixed (double* r = re, i = im, c = _cos, s = _sin)
        {
            for (int h = 1; h < n; h <<= 1)
            {
                double* wr = c + h - 1, wi = s + h - 1;
                for (int start = 0; start < n; start += 2 * h)
                {
                    double* pr = r + start, pi = i + start, qr = pr + h, qi = pi + h;
                    int j = 0;
                    if (vector)
                    {
                        for (; j + 4 <= h; j += 4)
                        {
                            var xr = Vector256.Load(qr + j); var xi = Vector256.Load(qi + j);
                            var cr = Vector256.Load(wr + j); var ci = Vector256.Load(wi + j);
                            var tr = xr * cr - xi * ci;
                            var ti = xr * ci + xi * cr;
                            var ar = Vector256.Load(pr + j); var ai = Vector256.Load(pi + j);
                            (ar + tr).Store(pr + j); (ai + ti).Store(pi + j);
                            (ar - tr).Store(qr + j); (ai - ti).Store(qi + j);
                        }
                    }
                    for (; j < h; j++)
                    {
                        double xr = qr[j], xi = qi[j], cr = wr[j], ci = wi[j];
                        double tr = xr * cr - xi * ci, ti = xr * ci + xi * cr;
                        double ar = pr[j], ai = pi[j];
                        pr[j] = ar + tr; pi[j] = ai + ti;
                        qr[j] = ar - tr; qi[j] = ai - ti;
                    }
                }
            }
        }
    }
}
