using Actors.Serialization;

namespace Actors.Hosting.Tests.Model;

/// <summary>An observer whose argument and result are untyped: what crosses is checked per value.</summary>
public interface IParcelObserver : IGrainObserver
{
    Task<object?> Take(object? parcel);

    /// <summary>One-way.</summary>
    void Drop(string note);
}

public interface IParcelGrain : IGrainWithStringKey
{
    /// <summary>Hands the observer a parcel (one without a codec when asked); returns "ok:{result}" or "{error type}|{member path}".</summary>
    Task<string> Send(IParcelObserver observer, bool parcelWithoutCodec);

    /// <summary>Sends the observer a one-way note.</summary>
    Task Note(IParcelObserver observer, string note);
}

public sealed class ParcelGrain : Grain, IParcelGrain
{
    public async Task<string> Send(IParcelObserver observer, bool parcelWithoutCodec)
    {
        try
        {
            object? result = await observer.Take(parcelWithoutCodec ? new UnmarkedParcel { Weight = 3 } : "parcel");
            return "ok:" + result;
        }
        catch (SerializerException ex)
        {
            return $"{ex.GetType().Name}|{ex.MemberPath}";
        }
    }

    public Task Note(IParcelObserver observer, string note)
    {
        observer.Drop(note);
        return Task.CompletedTask;
    }
}

/// <summary>No [GenerateSerializer]: no codec.</summary>
public sealed class UnmarkedParcel
{
    public int Weight { get; set; }
}

/// <summary>Runs on the client; answers with a value without a codec when asked.</summary>
public sealed class ParcelObserver(bool answerWithoutCodec) : IParcelObserver
{
    public List<string> Notes { get; } = [];

    public Task<object?> Take(object? parcel) => Task.FromResult<object?>(answerWithoutCodec ? new UnmarkedParcel { Weight = 1 } : $"took {parcel}");

    public void Drop(string note)
    {
        lock (Notes)
        {
            Notes.Add(note);
        }
    }
}
