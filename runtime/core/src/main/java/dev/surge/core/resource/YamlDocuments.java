package dev.surge.core.resource;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Splits a multi-document YAML text into its documents, or says where the YAML is broken. */
final class YamlDocuments {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private YamlDocuments() {
    }

    /**
     * @return the documents in order (document n is at index n-1); an empty document, e.g. after a trailing
     *         {@code ---}, is null or a null node
     * @throws InvalidResourcesException with one problem naming the line and column when the text is not YAML
     */
    static List<JsonNode> read(String yaml, String source) throws InvalidResourcesException {
        List<JsonNode> documents = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(yaml);
                MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
            while (it.hasNextValue()) {
                documents.add(it.nextValue());
            }
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
            throw new InvalidResourcesException(List.of(new Problem(source, 0, null, null,
                    "not valid YAML" + where + ": " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new InvalidResourcesException(List.of(new Problem(source, 0, null, null, e.getMessage())));
        }
        return documents;
    }
}
