namespace ConvEmbed.AudioWriting;

/// <summary>Formats the synthetic library can be written in; all but WAV are encoded by ffmpeg.</summary>
public enum AudioFileFormat { Wav, Mp3, Ogg, Flac, Opus, M4a }
