using ConvEmbed.Model.Embeddings;

namespace ConvEmbed.Model.Tests.Embeddings;

public sealed class EmbeddingFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("convembed-eval-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private static readonly TrackEmbedding[] Sample =
    [
        new("rock/one.ogg", [0.1f, -2.5e-8f, float.MaxValue, 1f / 3]),
        new("jazz/two, \"live\".flac", [float.Epsilon, -0f, 123456.79f, -1f]),
        new("folk/trois été.mp3", [1, 2, 3, 4]),
    ];

    [Theory]
    [InlineData("embeddings.jsonl")]
    [InlineData("embeddings.csv")]
    [InlineData("nested/dir/EMBEDDINGS.CSV")]
    public void RoundTripKeepsPathsAndExactValues(string name)
    {
        EmbeddingFile.Write(PathOf(name), Sample);
        var read = EmbeddingFile.Read(PathOf(name));
        Assert.Equal(Sample.Length, read.Count);
        for (var i = 0; i < Sample.Length; i++)
        {
            Assert.Equal(Sample[i].Path, read[i].Path);
            Assert.Equal(Sample[i].Embedding.Select(BitConverter.SingleToInt32Bits), read[i].Embedding.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void JsonlLinesHaveThePathAndEmbeddingProperties()
    {
        EmbeddingFile.Write(PathOf("e.jsonl"), [new TrackEmbedding("a/b.wav", [1.5f, -2f])]);
        Assert.Equal("{\"path\":\"a/b.wav\",\"embedding\":[1.5,-2]}\n", File.ReadAllText(PathOf("e.jsonl")));
    }

    [Fact]
    public void CsvStartsWithAHeaderAndMayOmitIt()
    {
        EmbeddingFile.Write(PathOf("e.csv"), [new TrackEmbedding("a/b.wav", [1.5f, -2f])]);
        Assert.Equal("path,e0,e1\na/b.wav,1.5,-2\n", File.ReadAllText(PathOf("e.csv")));

        File.WriteAllText(PathOf("bare.csv"), "a/b.wav,1.5,-2\nc/d.wav,0,1e-3\n");
        var read = EmbeddingFile.Read(PathOf("bare.csv"));
        Assert.Equal(["a/b.wav", "c/d.wav"], read.Select(e => e.Path));
        Assert.Equal([0f, 1e-3f], read[1].Embedding);
    }

    [Theory]
    [InlineData("e.jsonl", "{\"path\":\"a\",\"embedding\":[1,2]}\n{\"path\":\"b\",\"embedding\":[1,2", "e.jsonl:2: not valid JSON")]
    [InlineData("e.jsonl", "{\"path\":\"a\",\"embedding\":[1,2]}\n{\"path\":\"b\",\"embedding\":[1]}", "e.jsonl:2: 1 values, expected 2")]
    [InlineData("e.jsonl", "{\"embedding\":[1,2]}", "e.jsonl:1: missing or empty string \"path\"")]
    [InlineData("e.jsonl", "{\"path\":\"a\",\"embedding\":[1,\"x\"]}", "e.jsonl:1: embedding value 2 is not a finite number")]
    [InlineData("e.jsonl", "[1,2]", "e.jsonl:1: expected an object")]
    [InlineData("e.csv", "path,e0,e1\na,1,2\nb,1,oops", "e.csv:3: value 2 'oops' is not a finite number")]
    [InlineData("e.csv", "path,e0,e1\na,1,2\nb,1", "e.csv:3: 1 values, expected 2")]
    [InlineData("e.csv", "a,1,NaN", "e.csv:1: value 2 'NaN' is not a finite number")]
    [InlineData("e.csv", "\"a,1,2", "e.csv:1: a quoted field is not closed")]
    [InlineData("e.csv", "a", "e.csv:1: expected a path followed by the embedding values")]
    [InlineData("e.csv", "\n\n", "no embeddings in the file")]
    public void MalformedFileNamesTheLineAndTheProblem(string name, string content, string message)
    {
        File.WriteAllText(PathOf(name), content);
        var error = Assert.Throws<InvalidDataException>(() => EmbeddingFile.Read(PathOf(name)));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void UnsupportedExtensionSaysWhatIsSupported()
    {
        var error = Assert.Throws<ArgumentException>(() => EmbeddingFile.Read(PathOf("e.npy")));
        Assert.Contains("use a .jsonl or .csv file", error.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var error = Assert.Throws<FileNotFoundException>(() => EmbeddingFile.Read(PathOf("absent.jsonl")));
        Assert.Contains("absent.jsonl", error.Message);
    }

    [Fact]
    public void WritingRaggedOrNonFiniteEmbeddingsIsRefused()
    {
        Assert.Throws<ArgumentException>(() => EmbeddingFile.Write(PathOf("e.jsonl"),
            [new TrackEmbedding("a", [1f, 2f]), new TrackEmbedding("b", [1f])]));
        Assert.Throws<ArgumentException>(() => EmbeddingFile.Write(PathOf("e.csv"),
            [new TrackEmbedding("a", [float.PositiveInfinity])]));
    }
}
