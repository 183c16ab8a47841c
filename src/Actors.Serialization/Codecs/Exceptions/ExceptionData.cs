namespace Actors.Serialization.Codecs;

/// <summary>The <see cref="Exception"/> layer of a serialized exception, read before the exception's type is decided.</summary>
internal sealed class ExceptionData
{
    public string TypeName { get; set; } = string.Empty;

    public string? Message { get; set; }

    public string? RawMessage { get; set; }

    public string? StackTrace { get; set; }

    public Exception? InnerException { get; set; }

    public List<Exception>? InnerExceptions { get; set; }

    public int? HResult { get; set; }

    public string? ParamName { get; set; }

    public List<KeyValuePair<object, object?>>? Data { get; set; }

    /// <summary>Puts the layer's state into <paramref name="exception"/> (created without running the usual constructor arguments).</summary>
    public void ApplyTo(Exception exception)
    {
        ExceptionFields.Message(exception) = RawMessage ?? Message;
        ExceptionFields.InnerException(exception) = InnerException ?? InnerExceptions?.FirstOrDefault();
        if (exception is ArgumentException argument && ParamName is not null)
        {
            ExceptionFields.ParamName(argument) = ParamName;
        }

        ApplyCommon(exception);
    }

    /// <summary>Puts the stack trace, HResult and data into an exception built by a constructor.</summary>
    public void ApplyCommon(Exception exception)
    {
        if (HResult is { } hresult)
        {
            ExceptionFields.HResult(exception) = hresult;
        }

        if (StackTrace is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.SetRemoteStackTrace(exception, StackTrace);
        }

        if (Data is not null)
        {
            foreach (KeyValuePair<object, object?> entry in Data)
            {
                exception.Data[entry.Key] = entry.Value;
            }
        }
    }
}
