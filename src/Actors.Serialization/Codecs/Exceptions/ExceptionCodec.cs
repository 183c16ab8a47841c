using System.Reflection;
using System.Runtime.CompilerServices;
using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;
using StringCodec = Actors.Serialization.Codecs.ScalarCodec<string, Actors.Serialization.Codecs.StringFormat>;

namespace Actors.Serialization.Codecs;

/*
 * Exception layout (an Object value; when the slot's declared type is not an exception type the header is typed with
 * the well-known id Exception, never with the concrete type, so a reader that lacks the type can still read it):
 *   Exception layer:
 *     field 0  TypeName:String        [Alias] or CLR full name of the exception's runtime type
 *     field 1  Message:String         Exception.Message (absent when null)
 *     field 2  RawMessage:String      the message as passed to the constructor, when it differs from Message
 *                                     (ArgumentException appends its parameter, AggregateException its inner messages)
 *     field 3  StackTrace:String      absent when the exception was never thrown
 *     field 4  InnerException         an exception (this layout, recursively)
 *     field 5  HResult:SignedVarInt
 *     field 6  ParamName:String       ArgumentException and subclasses
 *     field 7  InnerExceptions        AggregateException: a List<Exception>
 *     field 8  Data                   Exception.Data as a List<KeyValuePair<object, object>>; a value without a codec
 *                                     is carried as its ToString() text
 *   then, for a type with a generated codec: EndBase and the generated class layers; then EndObject.
 * The reader rebuilds the named type when it knows it (its constructor taking (message, inner) when it has one), else
 * an UnavailableExceptionFallbackException carrying the name, message, stack trace, inner exception and data.
 */

/// <summary>Reads and writes the <see cref="Exception"/> layer (layout at the top of this file).</summary>
public static class ExceptionCodec
{
    /// <summary>Writes the Exception layer of <paramref name="exception"/> (generated exception codecs call it first).</summary>
    public static void SerializeBaseLayer(ref Writer writer, Exception exception)
    {
        CodecProvider provider = writer.Session.Provider;
        StringCodec.WriteField(ref writer, 0, provider.Types.GetExceptionTypeName(exception.GetType()));
        string message = exception.Message;
        string? raw = ExceptionFields.Message(exception);
        uint id = 0;
        Write(ref writer, ref id, 1, message);
        Write(ref writer, ref id, 2, raw is not null && raw != message ? raw : null);
        Write(ref writer, ref id, 3, exception.StackTrace);
        if (exception.InnerException is { } inner && exception is not AggregateException)
        {
            provider.GetCodec<Exception>().WriteField(ref writer, 4 - id, typeof(Exception), inner);
            id = 4;
        }

        writer.WriteFieldHeaderExpected(5 - id, WireType.SignedVarInt);
        writer.WriteVarInt64(exception.HResult);
        id = 5;
        Write(ref writer, ref id, 6, (exception as ArgumentException)?.ParamName);
        if (exception is AggregateException aggregate)
        {
            provider.GetCodec<List<Exception>>().WriteField(ref writer, 7 - id, typeof(List<Exception>), [.. aggregate.InnerExceptions]);
            id = 7;
        }

        if (exception.Data.Count != 0)
        {
            List<KeyValuePair<object, object?>> data = [];
            foreach (System.Collections.DictionaryEntry entry in exception.Data)
            {
                data.Add(new(Carried(provider, entry.Key)!, Carried(provider, entry.Value)));
            }

            provider.GetCodec<List<KeyValuePair<object, object?>>>().WriteField(ref writer, 8 - id, typeof(List<KeyValuePair<object, object?>>), data);
        }
    }

    /// <summary>
    /// Reads the Exception layer into <paramref name="exception"/> (generated exception codecs call it first), up to and
    /// including its end marker.
    /// </summary>
    public static void DeserializeBaseLayer(ref Reader reader, Exception exception)
    {
        if (ReferenceEquals(reader.Session.PendingExceptionLayer, exception))
        {
            reader.Session.PendingExceptionLayer = null; // the exception codec read this layer already, to learn the type
            return;
        }

        ReadBaseLayer(ref reader).ApplyTo(exception);
    }

    internal static ExceptionData ReadBaseLayer(ref Reader reader)
    {
        var data = new ExceptionData();
        CodecProvider provider = reader.Session.Provider;
        uint id = 0;
        while (true)
        {
            Field field = reader.ReadFieldHeader();
            if (field.IsEnd)
            {
                return data;
            }

            id += field.FieldIdDelta;
            switch (id)
            {
                case 0: data.TypeName = StringCodec.ReadValue(ref reader, field) ?? string.Empty; break;
                case 1: data.Message = StringCodec.ReadValue(ref reader, field); break;
                case 2: data.RawMessage = StringCodec.ReadValue(ref reader, field); break;
                case 3: data.StackTrace = StringCodec.ReadValue(ref reader, field); break;
                case 4: data.InnerException = provider.GetCodec<Exception>().ReadValue(ref reader, field); break;
                case 5: data.HResult = (int)Integers.ReadSigned(ref reader, field, int.MinValue, int.MaxValue, typeof(int)); break;
                case 6: data.ParamName = StringCodec.ReadValue(ref reader, field); break;
                case 7: data.InnerExceptions = provider.GetCodec<List<Exception>>().ReadValue(ref reader, field); break;
                case 8:
                    data.Data = provider.GetCodec<List<KeyValuePair<object, object?>>>().ReadValue(ref reader, field);
                    if (data.Data.Any(entry => entry.Key is null))
                    {
                        throw reader.Error("an exception's Data holds a null key");
                    }

                    break;
                default: reader.SkipField(field); break;
            }
        }
    }

    /// <summary>Rebuilds an exception of a known type without a generated codec from its Exception layer.</summary>
    internal static Exception Construct(Type type, ExceptionData data)
    {
        string? message = data.RawMessage ?? data.Message;
        Exception exception;
        if (type == typeof(AggregateException))
        {
            exception = new AggregateException(message, data.InnerExceptions ?? (data.InnerException is { } single ? [single] : []));
        }
        else if (type.GetConstructor([typeof(string), typeof(Exception)]) is { } constructor)
        {
            try
            {
                exception = (Exception)constructor.Invoke([message, data.InnerException]);
            }
            catch (TargetInvocationException ex)
            {
                throw new SerializerException($"The constructor of exception type '{TypeNames.Display(type)}' failed while rebuilding it: {ex.InnerException?.Message}", ex.InnerException);
            }

            if (exception is ArgumentException argument && data.ParamName is not null)
            {
                ExceptionFields.ParamName(argument) = data.ParamName;
            }
        }
        else
        {
            exception = (Exception)RuntimeHelpers.GetUninitializedObject(type);
            data.ApplyTo(exception);
            return exception;
        }

        data.ApplyCommon(exception);
        return exception;
    }

    private static void Write(ref Writer writer, ref uint id, uint fieldId, string? value)
    {
        if (value is null)
        {
            return;
        }

        StringCodec.WriteField(ref writer, fieldId - id, value);
        id = fieldId;
    }

    private static object? Carried(CodecProvider provider, object? value) =>
        value is null || provider.IsSerializable(value.GetType()) ? value : value.ToString();
}

/// <summary>
/// The codec of <typeparamref name="TException"/>-typed members (any exception; layout at the top of this file); its
/// copier passes exceptions by reference, as in-silo calls always have.
/// </summary>
internal sealed class ExceptionCodec<TException> : IFieldCodec<TException>, IDeepCopier<TException>, IShallowCopyable
    where TException : Exception
{
    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, TException value)
    {
        if (writer.TryWriteNullOrReference(fieldIdDelta, value))
        {
            return;
        }

        Type headerType = typeof(Exception).IsAssignableFrom(expectedType) ? expectedType : typeof(Exception);
        writer.WriteStartObject(fieldIdDelta, expectedType, headerType, value);
        if (writer.Session.Provider.GetExceptionLayersCodec(value.GetType()) is { } generated)
        {
            generated.Serialize(ref writer, value);
        }
        else
        {
            ExceptionCodec.SerializeBaseLayer(ref writer, value);
        }

        writer.WriteEndObject();
    }

    public TException ReadValue(ref Reader reader, Field field)
    {
        if (field.IsNull || field.IsReference)
        {
            return ReferenceCodec.ReadNullOrReference<TException>(ref reader, field);
        }

        if (field.HasFieldType && !typeof(Exception).IsAssignableFrom(field.FieldType))
        {
            return Polymorphism.ReadRuntimeType<TException>(ref reader, field);
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(TException));
        ExceptionData data = ExceptionCodec.ReadBaseLayer(ref reader);
        bool moreLayers = !reader.LastEndWasObject;
        CodecProvider provider = reader.Session.Provider;
        Type? type = provider.Types.ResolveExceptionType(data.TypeName);
        Exception result;
        if (type is not null && provider.GetExceptionLayersCodec(type) is { } generated && moreLayers)
        {
            result = generated.CreateInstance();
            reader.Session.RecordObject(field.Id, result);
            data.ApplyTo(result);
            reader.Session.PendingExceptionLayer = result;
            generated.Deserialize(ref reader, result);
            moreLayers = false;
        }
        else
        {
            result = type is not null
                ? ExceptionCodec.Construct(type, data)
                : Fallback(data);
            reader.Session.RecordObject(field.Id, result);
        }

        if (moreLayers)
        {
            reader.SkipToEndObject(); // class layers of a type this reader has without a generated codec
        }

        return result as TException
            ?? throw new UnknownTypeException(data.TypeName, $"the reader expects a '{TypeNames.Display(typeof(TException))}' and does not know this exception type");
    }

    public TException DeepCopy(TException input, CopyContext context) => input;

    private static UnavailableExceptionFallbackException Fallback(ExceptionData data)
    {
        var fallback = new UnavailableExceptionFallbackException(data.TypeName, data.Message, data.InnerException ?? data.InnerExceptions?.FirstOrDefault());
        data.ApplyCommon(fallback);
        return fallback;
    }
}
