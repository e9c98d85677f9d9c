package org.licensing.infra;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.TagProps;
import software.amazon.awscdk.Tags;
import software.constructs.IConstruct;

/**
 * CloudFormation names computed from the construct path with every {@link Part} left out, by CDK's own algorithm
 * ({@code makeUniqueId} of aws-cdk-lib: components named {@code Default} dropped; a single component used as is;
 * otherwise the components without {@code Resource} and repeated suffixes, non-alphanumerics removed, plus the first
 * 8 hex digits of the MD5 of the path joined by '/'). Without a part in the path the result equals CDK's
 * ({@code FlatNamesTest} checks that), so the logical ids of the stack stayed those of its single-class form.
 */
final class FlatNames {

    private static final String HIDDEN_ID = "Default";
    private static final String HIDDEN_FROM_HUMAN_ID = "Resource";
    private static final int HASH_LEN = 8;
    private static final int MAX_HUMAN_LEN = 240;
    private static final int MAX_ID_LEN = 255;
    private static final int NAME_TAG_PRIORITY = 101;

    private FlatNames() {
    }

    /**
     * Gives every CloudFormation element of {@code stack} below a part the logical id it would have without its parts.
     * Elements whose id was set explicitly ({@code overrideLogicalId}) keep it. (One pass at the end rather than an
     * override of {@code Stack.allocateLogicalId}: that is a jsii callback per element during synthesis, and jsii's
     * Java runtime nests consecutive callbacks on the stack until it overflows.)
     */
    static void leaveOutParts(Stack stack) {
        for (IConstruct c : stack.getNode().findAll()) {
            if (c instanceof CfnElement element) {
                List<IConstruct> below = below(stack, element);
                boolean inPart = below.stream().anyMatch(s -> s instanceof Part);
                String cdkDefault = makeUniqueId(below.stream().map(s -> s.getNode().getId()).toList());
                if (inPart && cdkDefault.equals(stack.resolve(element.getLogicalId()))) {
                    element.overrideLogicalId(makeUniqueId(ids(below)));
                }
            }
        }
    }

    /** The logical id of {@code element} without parts: its path below the stack ({@code Stack.allocateLogicalId}). */
    static String logicalId(Stack stack, CfnElement element) {
        return makeUniqueId(ids(below(stack, element)));
    }

    private static List<IConstruct> below(Stack stack, IConstruct construct) {
        List<IConstruct> scopes = construct.getNode().getScopes();
        int index = 0;
        while (scopes.get(index) != stack) {
            index++;
        }
        return scopes.subList(index + 1, scopes.size());
    }

    /** {@code Names.nodeUniqueId} without parts: the path below the app (stack name included). */
    static String uniqueId(IConstruct construct) {
        List<IConstruct> scopes = construct.getNode().getScopes();
        return makeUniqueId(ids(scopes.subList(1, scopes.size())));
    }

    /** {@link #uniqueId(IConstruct)} of a child {@code id} of {@code scope} yet to be created (a name CDK derives from it). */
    static String uniqueId(IConstruct scope, String id) {
        List<IConstruct> scopes = scope.getNode().getScopes();
        List<String> path = new ArrayList<>(ids(scopes.subList(1, scopes.size())));
        path.add(id);
        return makeUniqueId(path);
    }

    /**
     * The {@code Name} tag CDK puts on a VPC, its subnets and flow logs is their construct path; this one, without
     * parts, takes precedence (a higher priority than CDK's 100, applied top-down like CDK's).
     */
    static void keepNameTag(IConstruct construct) {
        List<IConstruct> scopes = construct.getNode().getScopes();
        Tags.of(construct).add("Name", String.join("/", ids(scopes.subList(1, scopes.size()))),
                TagProps.builder().priority(NAME_TAG_PRIORITY).build());
    }

    private static List<String> ids(List<IConstruct> scopes) {
        List<String> ids = new ArrayList<>();
        for (IConstruct scope : scopes) {
            if (!(scope instanceof Part)) {
                ids.add(scope.getNode().getId());
            }
        }
        return ids;
    }

    static String makeUniqueId(List<String> path) {
        List<String> components = path.stream().filter(c -> !c.equals(HIDDEN_ID)).toList();
        if (components.isEmpty()) {
            throw new IllegalArgumentException("no components to name");
        }
        if (components.size() == 1) {
            String candidate = alphanumeric(components.get(0));
            if (candidate.length() <= MAX_ID_LEN) {
                return candidate;
            }
        }
        List<String> human = new ArrayList<>();
        for (String component : components) {
            if (human.isEmpty() || !human.get(human.size() - 1).endsWith(component)) {
                human.add(component);
            }
        }
        String readable = String.join("", human.stream().filter(c -> !c.equals(HIDDEN_FROM_HUMAN_ID))
                .map(FlatNames::alphanumeric).toList());
        return readable.substring(0, Math.min(readable.length(), MAX_HUMAN_LEN)) + hash(components);
    }

    private static String alphanumeric(String s) {
        return s.replaceAll("[^A-Za-z0-9]", "");
    }

    private static String hash(List<String> components) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5")
                    .digest(String.join("/", components).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5).substring(0, HASH_LEN).toUpperCase();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
