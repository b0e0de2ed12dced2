import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  isIntrinsic,
  isPlainObject,
  resourceLabel,
  type TemplateJson,
  type TemplateResourceJson,
} from './template-json';

/**
 * The CloudFormation resource schema as aws-cdk-lib's L1 classes know it, read from the
 * jsii assembly the package ships (`node_modules/aws-cdk-lib/.jsii`): every `Cfn*` class
 * names its resource type (`@cloudformationResource`), its `props` struct lists the
 * resource's properties, and the structs those refer to list the nested properties. The
 * classes are generated from the CloudFormation registry schemas, so a property the L1
 * classes do not know is a property CloudFormation does not know, at the version of
 * aws-cdk-lib the repository pins.
 *
 * The assembly spells properties in camelCase (`sseSpecification` for `SSESpecification`),
 * so names are compared without regard to case: a miscased name is left to CloudFormation's
 * own validation (the CDK's built-in one at synthesis, cfn-lint in the workflows).
 */

/** What a value of a property may be, as far as its property names go. */
interface ValueShape {
  /** Fully qualified names of the structs an object value may be. */
  readonly structs: readonly string[];
  /** The shape of the elements, when the value may be a list. */
  readonly element?: ValueShape;
  /** The shape of the values, when the value may be a map of anything to this. */
  readonly mapValue?: ValueShape;
}

/** A property of a struct: its jsii (camelCase) name and what its value may be. */
interface PropertyShape {
  readonly name: string;
  readonly shape: ValueShape;
}

/** A struct: its properties by lower-cased name. */
type StructShape = ReadonlyMap<string, PropertyShape>;

/** jsii type reference (the subset of the jsii spec the L1 props use). */
interface JsiiTypeReference {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: JsiiTypeReference };
  readonly union?: { readonly types: readonly JsiiTypeReference[] };
  readonly intersection?: { readonly types: readonly JsiiTypeReference[] };
}

/** jsii type (the subset of the jsii spec read here). */
interface JsiiType {
  readonly kind: string;
  readonly datatype?: boolean;
  readonly interfaces?: readonly string[];
  readonly properties?: readonly { readonly name: string; readonly type: JsiiTypeReference }[];
  readonly initializer?: {
    readonly parameters?: readonly { readonly name: string; readonly type: JsiiTypeReference }[];
  };
  readonly docs?: { readonly custom?: Readonly<Record<string, string>> };
}

/** A jsii assembly file, or the redirect to its compressed form that aws-cdk-lib ships. */
interface JsiiAssemblyFile {
  readonly schema: string;
  readonly compression?: string;
  readonly filename?: string;
  readonly types?: Readonly<Record<string, JsiiType>>;
}

/** Resource types CloudFormation accepts that have no L1 class. */
const TYPES_WITHOUT_L1_CLASS: Readonly<Record<string, string>> = {
  // The CDK's version-reporting resource, which CloudFormation handles itself.
  'AWS::CDK::Metadata': 'the CDK version-reporting resource',
};

/**
 * The attributes CloudFormation reads on a resource
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-product-attribute-reference.html).
 */
const RESOURCE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'Metadata',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'UpdatePolicy',
  'CreationPolicy',
]);

/** Whether `type` is a custom resource, whose properties are its provider's, not CloudFormation's. */
function isCustomResourceType(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

/** The resource types and nested property types of aws-cdk-lib's L1 classes. */
export class L1ResourceSchema {
  private readonly structs = new Map<string, StructShape>();

  /**
   * @param types - the jsii types of the assembly, by fully qualified name.
   * @param version - the version of aws-cdk-lib the assembly is of.
   */
  private constructor(
    private readonly types: Readonly<Record<string, JsiiType>>,
    private readonly propsByResourceType: ReadonlyMap<string, readonly string[]>,
    readonly version: string,
  ) {}

  /** Reads the assembly of the installed aws-cdk-lib. */
  static load(): L1ResourceSchema {
    const packageJson = require.resolve('aws-cdk-lib/package.json');
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
    const types = readAssemblyTypes(path.join(path.dirname(packageJson), '.jsii'));
    const propsByResourceType = new Map<string, string[]>();
    for (const type of Object.values(types)) {
      const resourceType = type.docs?.custom?.cloudformationResource;
      if (type.kind !== 'class' || resourceType === undefined) continue;
      const props = type.initializer?.parameters?.find((p) => p.name === 'props')?.type.fqn;
      // Some resource types have two classes (`aws_eks` and `aws_eks_v2`, ...): one
      // property list each, and a property is known if either class knows it.
      const known = propsByResourceType.get(resourceType) ?? [];
      propsByResourceType.set(resourceType, props === undefined ? known : [...known, props]);
    }
    return new L1ResourceSchema(types, propsByResourceType, version);
  }

  /** Every resource type an L1 class creates. */
  get resourceTypes(): readonly string[] {
    return [...this.propsByResourceType.keys()];
  }

  /**
   * The properties of `resourceType` as the L1 classes spell them (camelCase), or
   * `undefined` for a type no L1 class creates.
   */
  propertiesOf(resourceType: string): string[] | undefined {
    const props = this.propsByResourceType.get(resourceType);
    if (props === undefined) return undefined;
    return [...this.structOf({ structs: props }).values()].map((property) => property.name);
  }

  /**
   * What is wrong with `template` for CloudFormation: resource types no L1 class creates,
   * attributes CloudFormation does not read, and (top-level and nested) properties the
   * resource type does not have. One line per finding, `<logical id> <type>: <finding>`.
   */
  findings(template: TemplateJson): string[] {
    const findings: string[] = [];
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const report = (finding: string): void => {
        findings.push(`${resourceLabel(logicalId, resource)}: ${finding}`);
      };
      for (const attribute of Object.keys(resource)) {
        if (!RESOURCE_ATTRIBUTES.has(attribute)) report(`unknown resource attribute ${attribute}`);
      }
      this.checkResource(resource, report);
    }
    return findings;
  }

  private checkResource(resource: TemplateResourceJson, report: (finding: string) => void): void {
    const { Type: type, Properties: properties = {} } = resource;
    if (isCustomResourceType(type)) {
      if (properties.ServiceToken === undefined) report('custom resource without ServiceToken');
      return;
    }
    if (TYPES_WITHOUT_L1_CLASS[type] !== undefined) return;
    const props = this.propsByResourceType.get(type);
    if (props === undefined) {
      report(`unknown resource type (no L1 class of aws-cdk-lib ${this.version})`);
      return;
    }
    this.checkValue(properties, { structs: props }, 'Properties', report);
  }

  private checkValue(
    value: unknown,
    shape: ValueShape,
    at: string,
    report: (finding: string) => void,
  ): void {
    if (isIntrinsic(value)) return;
    if (Array.isArray(value)) {
      const { element } = shape;
      if (element !== undefined) {
        value.forEach((item, index) => this.checkValue(item, element, `${at}[${index}]`, report));
      }
      return;
    }
    if (!isPlainObject(value)) return;
    if (shape.structs.length > 0) {
      const struct = this.structOf(shape);
      for (const [name, item] of Object.entries(value)) {
        const property = struct.get(name.toLowerCase());
        if (property === undefined) report(`unknown property ${at}.${name}`);
        else this.checkValue(item, property.shape, `${at}.${name}`, report);
      }
      return;
    }
    const { mapValue } = shape;
    if (mapValue !== undefined) {
      for (const [key, item] of Object.entries(value)) {
        this.checkValue(item, mapValue, `${at}.${key}`, report);
      }
    }
    // Anything else is JSON the L1 classes do not describe (a policy document, ...).
  }

  /** The properties of the structs of `shape`, merged. */
  private structOf(shape: ValueShape): StructShape {
    const key = shape.structs.join('|');
    const cached = this.structs.get(key);
    if (cached !== undefined) return cached;
    const struct = new Map<string, PropertyShape>();
    const add = (fqn: string): void => {
      const type = this.types[fqn];
      if (type === undefined) throw new Error(`jsii type ${fqn} is not in the assembly`);
      for (const base of type.interfaces ?? []) add(base);
      for (const property of type.properties ?? []) {
        struct.set(property.name.toLowerCase(), {
          name: property.name,
          shape: this.shapeOf(property.type),
        });
      }
    };
    shape.structs.forEach(add);
    this.structs.set(key, struct);
    return struct;
  }

  /** What a value of the jsii type `reference` may be. */
  private shapeOf(reference: JsiiTypeReference): ValueShape {
    const options = reference.union?.types ?? reference.intersection?.types ?? [reference];
    const structs: string[] = [];
    const elements: ValueShape[] = [];
    const mapValues: ValueShape[] = [];
    for (const option of options) {
      if (option.union !== undefined || option.intersection !== undefined) {
        const nested = this.shapeOf(option);
        structs.push(...nested.structs);
        if (nested.element !== undefined) elements.push(nested.element);
        if (nested.mapValue !== undefined) mapValues.push(nested.mapValue);
      } else if (option.fqn !== undefined && this.isStruct(option.fqn)) {
        structs.push(option.fqn);
      } else if (option.collection?.kind === 'array') {
        elements.push(this.shapeOf(option.collection.elementtype));
      } else if (option.collection?.kind === 'map') {
        mapValues.push(this.shapeOf(option.collection.elementtype));
      }
      // Primitives, `json`, `IResolvable` and enums constrain no property name.
    }
    return {
      structs,
      ...(elements.length > 0 && { element: mergeShapes(elements) }),
      ...(mapValues.length > 0 && { mapValue: mergeShapes(mapValues) }),
    };
  }

  private isStruct(fqn: string): boolean {
    const type = this.types[fqn];
    return type?.kind === 'interface' && type.datatype === true;
  }
}

/** One shape accepting what any of `shapes` accepts. */
function mergeShapes(shapes: readonly ValueShape[]): ValueShape {
  if (shapes.length === 1 && shapes[0] !== undefined) return shapes[0];
  const elements = shapes.flatMap((shape) => (shape.element === undefined ? [] : [shape.element]));
  const mapValues = shapes.flatMap((shape) =>
    shape.mapValue === undefined ? [] : [shape.mapValue],
  );
  return {
    structs: [...new Set(shapes.flatMap((shape) => shape.structs))],
    ...(elements.length > 0 && { element: mergeShapes(elements) }),
    ...(mapValues.length > 0 && { mapValue: mergeShapes(mapValues) }),
  };
}

/** The types of the jsii assembly at `file`, following a `jsii/file-redirect`. */
function readAssemblyTypes(file: string): Readonly<Record<string, JsiiType>> {
  const assembly = JSON.parse(readFileSync(file, 'utf8')) as JsiiAssemblyFile;
  if (assembly.schema === 'jsii/file-redirect') {
    const target = path.join(path.dirname(file), assembly.filename ?? '');
    const bytes = readFileSync(target);
    const text = assembly.compression === 'gzip' ? gunzipSync(bytes) : bytes;
    const redirected = JSON.parse(text.toString('utf8')) as JsiiAssemblyFile;
    if (redirected.types === undefined) throw new Error(`${target} holds no jsii types`);
    return redirected.types;
  }
  if (assembly.types === undefined) throw new Error(`${file} holds no jsii types`);
  return assembly.types;
}
