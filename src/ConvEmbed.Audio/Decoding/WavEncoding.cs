namespace ConvEmbed.Audio.Decoding;

/// <summary>The sample encodings the managed WAV path reads; anything else (ADPCM, µ-law, …) goes to ffmpeg.</summary>
public enum WavEncoding { Unsupported, PcmInteger, IeeeFloat }
