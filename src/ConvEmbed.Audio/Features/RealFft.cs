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
    private readonly double[] _cos;   // exp(-2πi j / half), j < half/2
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
        _cos = new double[Math.Max(1, _half / 2)];
        _sin = new double[_cos.Length];
        for (int j = 0; j < _half / 2; j++)
        {
            double a = -2 * Math.PI * j / _half;
            _cos[j] = Math.Cos(a);
            _sin[j] = Math.Sin(a);
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

    private void Transform(double[] re, double[] im)
    {
        int n = _half;
        var cos = _cos;
        var sin = _sin;
        // First stage (length 2) has trivial twiddles.
        for (int i = 0; i < n; i += 2)
        {
            double ar = re[i], ai = im[i], br = re[i + 1], bi = im[i + 1];
            re[i] = ar + br; im[i] = ai + bi;
            re[i + 1] = ar - br; im[i + 1] = ai - bi;
        }
        for (int len = 4; len <= n; len <<= 1)
        {
            int halfLen = len >> 1;
            int step = n / len;
            for (int start = 0; start < n; start += len)
            {
                for (int j = 0, t = 0; j < halfLen; j++, t += step)
                {
                    int p = start + j, q = p + halfLen;
                    double wr = cos[t], wi = sin[t];
                    double qr = re[q] * wr - im[q] * wi;
                    double qi = re[q] * wi + im[q] * wr;
                    double pr = re[p], pi = im[p];
                    re[p] = pr + qr; im[p] = pi + qi;
                    re[q] = pr - qr; im[q] = pi - qi;
                }
            }
        }
    }
}
