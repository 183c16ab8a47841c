using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>
/// Walks the fields of a collection (layout in CollectionWire.cs): reads the count itself, hands the comparer and each
/// element to the caller, skips unknown fields, and checks the element count when the collection ends.
/// </summary>
internal ref struct CollectionFields(Type collection, int valuesPerItem)
{
    private uint _id;
    private int _values;

    /// <summary>The element count, or -1 before the count field.</summary>
    public int Count { get; private set; } = -1;

    /// <summary>
    /// Moves to the next field the caller must handle: returns its id (<see cref="CollectionWire.CountId"/> after the count
    /// was read and <see cref="Count"/> set; <see cref="CollectionWire.ComparerId"/> or <see cref="CollectionWire.ElementId"/>
    /// with the payload still to read), or false at EndObject.
    /// </summary>
    public bool Next(ref Reader reader, out Field item, out uint id)
    {
        while (true)
        {
            item = reader.ReadFieldHeader();
            if (item.IsEnd)
            {
                id = 0;
                if (Count < 0)
                {
                    throw CollectionWire.MissingCount(ref reader, collection);
                }

                if (_values != Count * valuesPerItem)
                {
                    throw CollectionWire.CountMismatch(ref reader, collection, Count, _values / valuesPerItem);
                }

                return false;
            }

            _id += item.FieldIdDelta;
            id = _id;
            switch (id)
            {
                case CollectionWire.CountId:
                    if (Count >= 0)
                    {
                        throw reader.Error($"a '{TypeNames.Display(collection)}' with two counts");
                    }

                    Count = CollectionWire.ReadCount(ref reader, item, valuesPerItem, collection);
                    return true;
                case CollectionWire.ComparerId:
                    return true;
                case CollectionWire.ElementId:
                    if (Count < 0)
                    {
                        throw CollectionWire.MissingCount(ref reader, collection);
                    }

                    if (_values == Count * valuesPerItem)
                    {
                        throw CollectionWire.CountMismatch(ref reader, collection, Count, Count + 1);
                    }

                    _values++;
                    return true;
                default:
                    reader.SkipField(item);
                    break;
            }
        }
    }
}
