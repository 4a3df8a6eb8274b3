import type { Attributes } from 'graphology-types';
import { NodeProgram } from 'sigma/rendering';
import type { NodeDisplayData, RenderParams } from 'sigma/types';
import { floatColor } from 'sigma/utils';
import type { EntityType } from '../../../shared/model';
import { SHAPE_GEOMETRY, SHAPE_REACH, shapeOf } from './shapes';

// Each node is one triangle wide enough to hold any shape; the fragment shader
// keeps the pixels inside the shape's outline, from the same corners that
// shapes.ts gives the exports and the legend. Picking uses the same outline,
// so only the shape itself answers to the mouse.

// language=GLSL
const VERTEX_SHADER = /* glsl */ `
attribute vec4 a_id;
attribute vec4 a_color;
attribute vec2 a_position;
attribute float a_size;
attribute vec4 a_shape;
attribute float a_angle;

uniform mat3 u_matrix;
uniform float u_sizeRatio;
uniform float u_correctionRatio;

varying vec4 v_color;
varying vec2 v_diffVector;
varying float v_radius;
varying vec4 v_shape;

const float bias = 255.0 / 254.0;

void main() {
  float radius = a_size * u_correctionRatio / u_sizeRatio * 2.0;
  // A triangle whose inscribed circle is REACH node sizes (plus room for antialiasing).
  vec2 diffVector = radius * ${(SHAPE_REACH * 2 + 0.2).toFixed(2)} * vec2(cos(a_angle), sin(a_angle));
  gl_Position = vec4((u_matrix * vec3(a_position + diffVector, 1)).xy, 0, 1);
  v_diffVector = diffVector;
  v_radius = radius;
  v_shape = a_shape;
  #ifdef PICKING_MODE
  v_color = a_id;
  #else
  v_color = a_color;
  #endif
  v_color.a *= bias;
}
`;

// language=GLSL
const FRAGMENT_SHADER = /* glsl */ `
precision highp float;

varying vec4 v_color;
varying vec2 v_diffVector;
varying float v_radius;
varying vec4 v_shape;

uniform float u_correctionRatio;

const vec4 transparent = vec4(0.0, 0.0, 0.0, 0.0);
const vec4 rim = vec4(1.0, 1.0, 1.0, 1.0);
const float PI = 3.141592653589793;

vec2 corner(float k, float count, bool star) {
  float angle = v_shape.w + k * 2.0 * PI / count;
  float r = (star && mod(k, 2.0) > 0.5) ? v_shape.z : v_shape.y;
  return vec2(r * sin(angle), -r * cos(angle));
}

// Signed distance to the outline, in node sizes: negative inside.
float outlineDistance(vec2 p) {
  if (v_shape.x < 0.5) return length(p) - v_shape.y;
  bool star = v_shape.z > 0.0;
  float count = star ? v_shape.x * 2.0 : v_shape.x;
  vec2 previous = corner(count - 1.0, count, star);
  float d = 1e9;
  float s = 1.0;
  for (int i = 0; i < 12; i++) {
    if (float(i) >= count) break;
    vec2 current = corner(float(i), count, star);
    vec2 e = previous - current;
    vec2 w = p - current;
    vec2 b = w - e * clamp(dot(w, e) / dot(e, e), 0.0, 1.0);
    d = min(d, dot(b, b));
    bvec3 c = bvec3(p.y >= current.y, p.y < previous.y, e.x * w.y > e.y * w.x);
    if (all(c) || all(not(c))) s = -s;
    previous = current;
  }
  return s * sqrt(d);
}

void main(void) {
  // Shapes are defined with y growing downwards, as on screen.
  vec2 p = vec2(v_diffVector.x, -v_diffVector.y) / v_radius;
  float dist = outlineDistance(p) * v_radius;
  float pixel = u_correctionRatio * 2.0;

  #ifdef PICKING_MODE
  gl_FragColor = dist > 0.0 ? transparent : v_color;
  #else
  // A thin light rim keeps touching shapes and the links beneath them apart.
  vec4 fill = mix(v_color, rim, smoothstep(-pixel * 2.0, -pixel, dist) * 0.85);
  gl_FragColor = mix(fill, transparent, smoothstep(-pixel * 0.5, pixel * 0.5, dist));
  #endif
}
`;

const { UNSIGNED_BYTE, FLOAT } = WebGLRenderingContext;
const UNIFORMS = ['u_sizeRatio', 'u_correctionRatio', 'u_matrix'] as const;

/** Draws each entity with the outline of its type (see shapes.ts). */
export class NodeShapeProgram<N extends Attributes = Attributes, E extends Attributes = Attributes, G extends Attributes = Attributes> extends NodeProgram<(typeof UNIFORMS)[number], N, E, G> {
  getDefinition() {
    return {
      VERTICES: 3,
      VERTEX_SHADER_SOURCE: VERTEX_SHADER,
      FRAGMENT_SHADER_SOURCE: FRAGMENT_SHADER,
      METHOD: WebGLRenderingContext.TRIANGLES,
      UNIFORMS,
      ATTRIBUTES: [
        { name: 'a_position', size: 2, type: FLOAT },
        { name: 'a_size', size: 1, type: FLOAT },
        { name: 'a_color', size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: 'a_id', size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: 'a_shape', size: 4, type: FLOAT },
      ],
      CONSTANT_ATTRIBUTES: [{ name: 'a_angle', size: 1, type: FLOAT }],
      CONSTANT_DATA: [[0], [(2 * Math.PI) / 3], [(4 * Math.PI) / 3]],
    };
  }

  processVisibleItem(nodeIndex: number, startIndex: number, data: NodeDisplayData & { entityType?: EntityType }): void {
    const array = this.array;
    const g = SHAPE_GEOMETRY[data.entityType ? shapeOf(data.entityType) : 'circle'];
    array[startIndex] = data.x;
    array[startIndex + 1] = data.y;
    array[startIndex + 2] = data.size;
    array[startIndex + 3] = floatColor(data.color);
    array[startIndex + 4] = nodeIndex;
    array[startIndex + 5] = g.points;
    array[startIndex + 6] = g.outer;
    array[startIndex + 7] = g.inner;
    array[startIndex + 8] = g.rotation;
  }

  setUniforms(params: RenderParams, { gl, uniformLocations }: { gl: WebGLRenderingContext; uniformLocations: Record<(typeof UNIFORMS)[number], WebGLUniformLocation> }): void {
    gl.uniform1f(uniformLocations.u_correctionRatio, params.correctionRatio);
    gl.uniform1f(uniformLocations.u_sizeRatio, params.sizeRatio);
    gl.uniformMatrix3fv(uniformLocations.u_matrix, false, params.matrix);
  }
}
