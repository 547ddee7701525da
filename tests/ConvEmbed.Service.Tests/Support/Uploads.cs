using System.Net.Http.Headers;

namespace ConvEmbed.Service.Tests.Support;

/// <summary>Multipart bodies as a browser or curl sends them.</summary>
public static class Uploads
{
    public static MultipartFormDataContent Form(byte[] bytes, string fileName = "track.wav", params (string Name, string Value)[] fields) =>
        Form(new ByteArrayContent(bytes), fileName, fields);

    public static MultipartFormDataContent Form(HttpContent file, string fileName, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        return form;
    }

    public static Task<HttpResponseMessage> PostTrackAsync(this HttpClient client, byte[] bytes, string fileName = "track.wav",
        params (string Name, string Value)[] fields) =>
        client.PostAsync("/tracks", Form(bytes, fileName, fields));
}
